/* Fuzz target: the streaming reader on a plaintext stream.
 *
 * Input: flag byte, 8 chunk-size bytes, the stream (see fuzz_walk.h). The
 * stream is fed in chunks of those sizes; every frame taken out is walked
 * (all getters) and dumped to a null sink. Then the reader is reset and the
 * stream fed in one piece: the frames and the final error must be the same. */
#include "fuzz_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_reader_run(data, size, NULL);
    return 0;
}
