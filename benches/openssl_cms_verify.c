/*
 * In-process OpenSSL peer for benches/verify.rs: parses and verifies every *.p7s file of a
 * directory with CMS_verify (full chain to the root, which is the only trusted certificate;
 * leaf and intermediate come from the CMS), in a loop, for a given number of seconds.
 * Work per verification: DER parse, content digest, signer signature, two certificate
 * signatures (ica->leaf, root->ica), path validation at 2026-06-01T00:00:00Z.
 * OpenSSL has no cross-call signature cache, so this is the peer of both "cold" and the
 * cached sigverify lines.
 *
 * Build: gcc -O2 -o openssl_cms_verify openssl_cms_verify.c -lcrypto
 * Usage: openssl_cms_verify ROOT.pem DIR [SECONDS]
 * Output (one line): files=N verifications=V seconds=S cpu_seconds=C per_sec=R per_cpu_sec=RC
 * (per_cpu_sec: per second of process CPU time, i.e. one-core throughput under contention)
 * Exits 1 (and prints the OpenSSL error) on the first verification that fails.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#define AT_2026_06_01 1780272000L /* 2026-06-01T00:00:00Z */

struct blob { unsigned char *p; long n; char *name; };

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct blob *)a)->name, ((const struct blob *)b)->name);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s ROOT.pem DIR [SECONDS]\n", argv[0]);
        return 2;
    }
    double seconds = argc > 3 ? atof(argv[3]) : 2.0;

    X509_STORE *store = X509_STORE_new();
    FILE *rf = fopen(argv[1], "r");
    X509 *root = rf ? PEM_read_X509(rf, NULL, NULL, NULL) : NULL;
    if (!root || !X509_STORE_add_cert(store, root)) {
        fprintf(stderr, "cannot load trust anchor %s\n", argv[1]);
        return 2;
    }
    fclose(rf);
    X509_VERIFY_PARAM *param = X509_STORE_get0_param(store);
    X509_VERIFY_PARAM_set_time(param, (time_t)AT_2026_06_01);

    DIR *dir = opendir(argv[2]);
    if (!dir) { perror(argv[2]); return 2; }
    size_t cap = 1024, n = 0;
    struct blob *files = malloc(cap * sizeof *files);
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!ends_with(e->d_name, ".p7s")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[2], e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) { perror(path); return 2; }
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        unsigned char *p = malloc(len);
        if (fread(p, 1, len, f) != (size_t)len) { perror(path); return 2; }
        fclose(f);
        if (n == cap) files = realloc(files, (cap *= 2) * sizeof *files);
        files[n].p = p; files[n].n = len; files[n].name = strdup(e->d_name);
        n++;
    }
    closedir(dir);
    if (n == 0) { fprintf(stderr, "no .p7s files in %s\n", argv[2]); return 2; }
    qsort(files, n, sizeof *files, by_name);

    BIO *sink = BIO_new(BIO_s_null());
    long count = 0;
    double start = clock_s(CLOCK_MONOTONIC), cpu_start = clock_s(CLOCK_PROCESS_CPUTIME_ID), elapsed = 0;
    for (;;) {
        for (size_t i = 0; i < n; i++) {
            const unsigned char *p = files[i].p;
            CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, files[i].n);
            if (!cms || CMS_verify(cms, NULL, store, NULL, sink, CMS_BINARY) != 1) {
                fprintf(stderr, "OpenSSL verification FAILED for %s:\n", files[i].name);
                ERR_print_errors_fp(stderr);
                return 1;
            }
            CMS_ContentInfo_free(cms);
            count++;
            if ((count & 63) == 0 && (elapsed = clock_s(CLOCK_MONOTONIC) - start) >= seconds) goto done;
        }
    }
done:
    elapsed = clock_s(CLOCK_MONOTONIC) - start;
    double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
    printf("files=%zu verifications=%ld seconds=%.3f cpu_seconds=%.3f per_sec=%.1f per_cpu_sec=%.1f\n", n, count,
           elapsed, cpu, count / elapsed, count / cpu);
    return 0;
}
