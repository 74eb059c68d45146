/* sha256.c — SHA-256 over OpenSSL's EVP interface, one-shot and incremental. */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "sha256.h"

struct yj_sha256 {
    EVP_MD_CTX *md;
    int ok;
};

yj_sha256 *yj_sha256_new(void) {
    yj_sha256 *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    if (!(h->md = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(h->md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(h->md);
        free(h);
        return NULL;
    }
    h->ok = 1;
    return h;
}

void yj_sha256_feed(yj_sha256 *h, const void *p, size_t n) {
    if (h && h->ok && n) h->ok = EVP_DigestUpdate(h->md, p, n);
}

int yj_sha256_finish(yj_sha256 *h, char out[65]) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    out[0] = '\0';
    if (!h) return -1;
    int ok = h->ok && EVP_DigestFinal_ex(h->md, md, &len) && len == 32;
    if (ok)
        for (unsigned k = 0; k < len; k++) snprintf(out + 2 * k, 3, "%02x", md[k]);
    EVP_MD_CTX_free(h->md);
    free(h);
    return ok ? 0 : -1;
}

void yj_sha256_hex(const void *data, size_t len, char out[65]) {
    yj_sha256 *h = yj_sha256_new();
    yj_sha256_feed(h, data, len);
    yj_sha256_finish(h, out);
}
