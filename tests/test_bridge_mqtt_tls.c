/* The broker's TLS failures in words (bridge/mqtt_tls.h): the log lines
 * libmosquitto 2.0 writes (its own and OpenSSL 3's error strings, as
 * seen against mosquitto) become one line saying what failed and which
 * [mqtt] key to check; other log lines are no TLS failure. */
#include "harness.h"
#include "mqtt_tls.h"

#include <string.h>

static void expect(const char *line, const char *want)
{
    char out[320];
    memset(out, 'x', sizeof out);
    bool is = bridge_mqtt_tls_describe(line, out, sizeof out);
    CHECK(is == (want != NULL));
    if (want && !strstr(out, want)) {
        FAIL(line);
        FAIL(out);
    }
}

int main(void)
{
    expect("OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed",
           "TLS: certificate verify failed: check tls_ca_file");
    /* OpenSSL 1.1's form names the function too. */
    expect("OpenSSL Error[0]: error:1416F086:SSL routines:tls_process_server_certificate:certificate verify failed",
           "TLS: certificate verify failed: check tls_ca_file");
    expect("OpenSSL Error[0]: error:0A00045C:SSL routines::tlsv13 alert certificate required",
           "TLS: the broker requires a client certificate (alert certificate required): set tls_cert_file and "
           "tls_key_file");
    expect("OpenSSL Error[0]: error:0A000410:SSL routines::sslv3 alert handshake failure",
           "client certificate (tls_cert_file, tls_key_file)");
    expect("OpenSSL Error[0]: error:0A000418:SSL routines::tlsv1 alert unknown ca", "check tls_cert_file");
    expect("OpenSSL Error[0]: error:0A00010B:SSL routines::wrong version number", "check port");
    expect("Error: Unable to load CA certificates, check cafile \"/etc/x.pem\".", "check tls_ca_file");
    expect("Error: Unable to load client certificate \"/etc/c.pem\".", "check tls_cert_file");
    expect("Error: Unable to load client key file \"/etc/c.key\".", "check tls_key_file");
    expect("Error: Client certificate/key are inconsistent.", "do not match");
    /* An OpenSSL reason not in the table: itself, with the keys to check. */
    expect("OpenSSL Error[1]: error:0A0000C1:SSL routines::no shared cipher",
           "TLS: no shared cipher: check the [mqtt] tls keys and port");
    /* Not TLS. */
    expect("Client rscp-bridge sending CONNECT", NULL);
    expect("Warning: Unable to set TCP_NODELAY.", NULL);
    expect("", NULL);
    CHECK(!bridge_mqtt_tls_describe(NULL, NULL, 0));
    /* A small buffer is cut, still terminated. */
    char small[12];
    CHECK(bridge_mqtt_tls_describe("OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed", small,
                                   sizeof small));
    CHECK_INT(strlen(small), sizeof small - 1);
    return th_finish();
}
