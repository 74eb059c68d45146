/* strmap.c — string -> pointer map (see strmap.h). */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

struct yj_strmap_slot {
    uint32_t check;      /* the hash's high half */
    uint32_t len;
    void *val;           /* not owned; NULL: the slot is empty */
    union {
        char inl[16];    /* the key, when len < 16 */
        char *key;       /* else a copy (owned) */
    } k;
};

static uint64_t fnv1a(const char *k, size_t n) {
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)k[i]) * 0x100000001b3ULL;
    return h;
}

static const char *key_of(const yj_strmap_slot *e) {
    return e->len < sizeof e->k.inl ? e->k.inl : e->k.key;
}

static yj_strmap_slot *find(const yj_strmap *m, const char *k, size_t n, uint64_t h) {
    uint32_t check = (uint32_t)(h >> 32);
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        yj_strmap_slot *e = &m->s[i];
        if (!e->val || (e->check == check && e->len == n && !memcmp(key_of(e), k, n))) return e;
    }
}

int yj_strmap_put(yj_strmap *m, const char *k, void *v) {
    if (4 * (m->n + 1) > 3 * m->cap) {       /* keep the load under 3/4 */
        size_t cap = m->cap ? m->cap * 2 : 64;
        yj_strmap big = {calloc(cap, sizeof(yj_strmap_slot)), cap, m->n};
        if (!big.s) return -1;
        for (size_t i = 0; i < m->cap; i++) {
            const yj_strmap_slot *e = &m->s[i];
            if (e->val) *find(&big, key_of(e), e->len, fnv1a(key_of(e), e->len)) = *e;
        }
        free(m->s);
        *m = big;
    }
    size_t n = strlen(k);
    uint64_t h = fnv1a(k, n);
    yj_strmap_slot *e = find(m, k, n, h);
    if (e->val) return 0;
    if (n >= sizeof e->k.inl) {
        if (!(e->k.key = strdup(k))) return -1;
    } else {
        memcpy(e->k.inl, k, n + 1);
    }
    e->len = (uint32_t)n;
    e->check = (uint32_t)(h >> 32);
    e->val = v;
    m->n++;
    return 0;
}

void *yj_strmap_get(const yj_strmap *m, const char *k) {
    if (!m->cap) return NULL;
    size_t n = strlen(k);
    return find(m, k, n, fnv1a(k, n))->val;
}

void yj_strmap_free(yj_strmap *m) {
    for (size_t i = 0; i < m->cap; i++)
        if (m->s[i].val && m->s[i].len >= sizeof m->s[i].k.inl) free(m->s[i].k.key);
    free(m->s);
    m->s = NULL;
    m->cap = m->n = 0;
}
