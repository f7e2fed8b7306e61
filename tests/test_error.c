/* The error table: every code has a distinct name and message and the
 * fatal flag of its row; the version of the library matches the headers. */
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
    static const char *const names[] = {
#define X(name, value, fatal, msg) #name,
        RSCP_ERROR_MAP(X)
#undef X
    };
    static const bool fatal[] = {
#define X(name, value, fatal, msg) (fatal) != 0,
        RSCP_ERROR_MAP(X)
#undef X
    };
    size_t n = sizeof codes / sizeof codes[0];
    for (size_t i = 0; i < n; i++) {
        CHECK(i == 0 ? codes[i] == 0 : codes[i] < 0);
        const char *name = rscp_error_name(codes[i]), *msg = rscp_strerror(codes[i]);
        CHECK(name != NULL && strcmp(name, names[i]) == 0);
        CHECK(msg != NULL && *msg != '\0' && strcmp(msg, "unknown error") != 0);
        CHECK_INT(rscp_error_is_fatal(codes[i]), fatal[i]);
        for (size_t j = 0; j < i; j++) {
            CHECK(codes[i] != codes[j]);
            CHECK(strcmp(msg, rscp_strerror(codes[j])) != 0);
            CHECK(strcmp(name, rscp_error_name(codes[j])) != 0);
        }
    }
    /* the stream errors the reader treats as sticky are marked fatal */
    static const int sticky[] = {RSCP_ERR_MAGIC, RSCP_ERR_CTRL, RSCP_ERR_VERSION, RSCP_ERR_FRAME_TOO_LONG,
                                 RSCP_ERR_CRC, RSCP_ERR_PADDING, RSCP_ERR_BAD_KEY_DECRYPT, RSCP_ERR_TIME};
    for (size_t i = 0; i < sizeof sticky / sizeof sticky[0]; i++)
        CHECK(rscp_error_is_fatal(sticky[i]));
    CHECK(!rscp_error_is_fatal(RSCP_OK));
    CHECK(!rscp_error_is_fatal(1));
    CHECK(strcmp(rscp_version(), RSCP_VERSION_STRING) == 0);
    CHECK_INT(rscp_version_number(), RSCP_VERSION_NUMBER);
    char v[32];
    snprintf(v, sizeof v, "%d.%d.%d", RSCP_VERSION_MAJOR, RSCP_VERSION_MINOR, RSCP_VERSION_PATCH);
    CHECK(strcmp(v, RSCP_VERSION_STRING) == 0);
    CHECK_INT(RSCP_VERSION_NUMBER, RSCP_VERSION_MAJOR << 16 | RSCP_VERSION_MINOR << 8 | RSCP_VERSION_PATCH);
    return th_finish();
}
