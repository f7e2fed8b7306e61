/* The broker's TLS failures in words (see mqtt_tls.h). */
#include "mqtt_tls.h"

#include <stdio.h>
#include <string.h>

/* What a failure's text (a substring of OpenSSL's reason string or of
 * libmosquitto's line) means, and what to check. First match wins. */
struct tls_reason {
    const char *match;
    const char *words; /* NULL: OpenSSL's reason itself */
    const char *hint;
};

static const struct tls_reason reasons[] = {
    /* The broker's certificate: not signed by a CA of tls_ca_file (or the
     * system's), expired, or not naming the host. */
    {"certificate verify failed", NULL,
     "check tls_ca_file (the CA that signed the broker's certificate) and that the certificate names host"},
    /* The broker wants a client certificate (TLS 1.3, TLS 1.2). */
    {"alert certificate required", "the broker requires a client certificate",
     "set tls_cert_file and tls_key_file"},
    {"alert handshake failure", "the broker refused the handshake",
     "it may require a client certificate (tls_cert_file, tls_key_file)"},
    /* The broker does not accept the client certificate. */
    {"alert unknown ca", "the broker does not trust the client certificate",
     "check tls_cert_file (signed by a CA the broker's cafile holds)"},
    {"alert certificate expired", "the broker refused the client certificate as expired", "renew tls_cert_file"},
    {"alert bad certificate", "the broker refused the client certificate", "check tls_cert_file and tls_key_file"},
    {"alert decrypt error", "the broker refused the client certificate", "check tls_cert_file and tls_key_file"},
    /* Not a TLS listener. */
    {"wrong version number", "the broker's port does not answer in TLS",
     "check port (8883 is the usual TLS port) or switch tls off"},
    {"packet length too long", "the broker's port does not answer in TLS",
     "check port (8883 is the usual TLS port) or switch tls off"},
    {"unexpected eof while reading", "the broker closed the connection during the handshake",
     "check that port is a TLS listener and whether it requires a client certificate"},
    /* libmosquitto loading the files. */
    {"Unable to load CA certificates", "cannot load the CA certificates", "check tls_ca_file (PEM certificates)"},
    {"Unable to load client certificate", "cannot load the client certificate",
     "check tls_cert_file (a PEM certificate)"},
    {"Unable to load client key file", "cannot load the private key",
     "check tls_key_file (a PEM private key without a passphrase)"},
    {"Client certificate/key are inconsistent", "the client certificate and the private key do not match",
     "check tls_cert_file and tls_key_file"},
    {"key values mismatch", "the client certificate and the private key do not match",
     "check tls_cert_file and tls_key_file"},
};

bool bridge_mqtt_tls_describe(const char *msg, char *out, size_t cap)
{
    if (!msg || !cap)
        return false;
    bool openssl = strncmp(msg, "OpenSSL Error", 13) == 0;
    /* OpenSSL's reason: what follows the last ':' of
     * "error:0A000086:SSL routines::certificate verify failed". */
    const char *reason = NULL;
    if (openssl) {
        reason = strrchr(msg, ':');
        reason = reason && reason[1] ? reason + 1 : msg;
        while (*reason == ' ')
            reason++;
    }
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        const struct tls_reason *r = &reasons[i];
        if (!strstr(msg, r->match))
            continue;
        if (r->words)
            snprintf(out, cap, "TLS: %s (%s): %s", r->words, r->match, r->hint);
        else
            snprintf(out, cap, "TLS: %s: %s", r->match, r->hint);
        return true;
    }
    if (!openssl)
        return false;
    snprintf(out, cap, "TLS: %s: check the [mqtt] tls keys and port", reason);
    return true;
}
