/* The error table: every code has a distinct name and message. */
#include "harness.h"
#include "rscp/error.h"
#include "rscp/version.h"

#include <string.h>

int main(void)
{
    CHECK(strcmp(rscp_strerror(RSCP_OK), "success") == 0);
    CHECK(strcmp(rscp_error_name(RSCP_ERR_CRC), "ERR_CRC") == 0);
    CHECK(rscp_error_is_fatal(RSCP_ERR_CRC));
    CHECK(!rscp_error_is_fatal(RSCP_ERR_NOSPACE));
    CHECK(rscp_error_name(12345) == NULL);
    CHECK(strcmp(rscp_strerror(12345), "unknown error") == 0);
    CHECK(strstr(rscp_strerror(RSCP_ERR_KEY), "RSCP key") != NULL);
    /* codes are negative and distinct */
    static const int codes[] = {
#define X(name, value, fatal, msg) (value),
        RSCP_ERROR_MAP(X)
#undef X
    };
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 1; i < n; i++) {
        CHECK(codes[i] < 0);
        for (size_t j = 0; j < i; j++)
            CHECK(codes[i] != codes[j]);
    }
    CHECK(strcmp(rscp_version(), RSCP_VERSION_STRING) == 0);
    CHECK_INT(rscp_version_number(), RSCP_VERSION_NUMBER);
    return th_finish();
}
