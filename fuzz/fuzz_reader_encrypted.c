/* Fuzz target: the streaming reader on a Rijndael-256-CBC stream with the
 * fixed key "fuzzkey" (both IVs 0xFF at the start of each input).
 *
 * Input: flag byte, 8 chunk-size bytes, the ciphertext (see fuzz_walk.h;
 * flag bit 2 selects the portable cipher instead of the automatic choice).
 * Checks as in fuzz_reader_plain: frames and errors must not depend on how
 * the stream is split. The seed corpus holds valid encrypted streams. */
#include "fuzz_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static rscp_cipher *cipher_for(int impl)
{
    static rscp_cipher *ciphers[2];
    int i = impl == RSCP_CIPHER_PORTABLE ? 1 : 0;
    if (!ciphers[i]) {
        uint8_t key[RSCP_KEY_SIZE];
        rscp_key_derive("fuzzkey", 7, key);
        if (rscp_cipher_new(&ciphers[i], key, impl) != 0)
            fuzz_fail("cipher_new");
    }
    return ciphers[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < FUZZ_HEAD)
        return 0;
    int impl = (data[0] & 4) ? RSCP_CIPHER_PORTABLE : RSCP_CIPHER_AUTO;
    fuzz_reader_run(data, size, cipher_for(impl));
    return 0;
}
