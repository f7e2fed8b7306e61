/* Rijndael key expansion for Nk = 8 and Nb = 8 (120 words), and the round
 * keys of the equivalent inverse cipher. */
#include "crypto/rijndael.h"
#include "util/bytes.h"

static uint32_t sub_word(uint32_t w)
{
    return (uint32_t)rscp_crypto_sbox[w & 0xff] | (uint32_t)rscp_crypto_sbox[(w >> 8) & 0xff] << 8 |
           (uint32_t)rscp_crypto_sbox[(w >> 16) & 0xff] << 16 | (uint32_t)rscp_crypto_sbox[w >> 24] << 24;
}

/* InvMixColumns of one column: td applies InvSubBytes first, so undo it
 * with the forward S-box. */
static uint32_t inv_mix_column(uint32_t w)
{
    return rscp_crypto_td[0][rscp_crypto_sbox[w & 0xff]] ^ rscp_crypto_td[1][rscp_crypto_sbox[(w >> 8) & 0xff]] ^
           rscp_crypto_td[2][rscp_crypto_sbox[(w >> 16) & 0xff]] ^ rscp_crypto_td[3][rscp_crypto_sbox[w >> 24]];
}

void rscp_crypto_expand_key(struct rscp_rijndael_key *k, const uint8_t key[32])
{
    uint32_t *w = k->ek;
    uint32_t rcon = 1;
    for (unsigned i = 0; i < 8; i++)
        w[i] = rscp_load32_le(key + 4 * i);
    for (unsigned i = 8; i < RSCP_RIJNDAEL_WORDS; i++) {
        uint32_t t = w[i - 1];
        if (i % 8 == 0) {
            /* RotWord moves row 1 to row 0: a right rotation of the LE word. */
            t = sub_word(t >> 8 | t << 24) ^ rcon;
            rcon = (rcon << 1) ^ ((rcon >> 7) * 0x11b);
        } else if (i % 8 == 4) {
            t = sub_word(t);
        }
        w[i] = w[i - 8] ^ t;
    }
    for (unsigned r = 0; r <= RSCP_RIJNDAEL_ROUNDS; r++) {
        for (unsigned c = 0; c < 8; c++) {
            uint32_t v = k->ek[8 * (RSCP_RIJNDAEL_ROUNDS - r) + c];
            k->dk[8 * r + c] = (r == 0 || r == RSCP_RIJNDAEL_ROUNDS) ? v : inv_mix_column(v);
        }
    }
}
