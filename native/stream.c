/*
 * cohort-stream: a memory-streaming workload for measuring real hosts.
 *
 *   cohort-stream [-t THREADS] [-m MIB] [-s SECONDS] [-f]
 *
 * Each thread runs the STREAM triad a[i] = b[i] + q * c[i] over its share of a working set of MIB MiB
 * (default 256, i.e. well beyond a last-level cache, so the traffic goes to memory; a small -m stays in cache).
 * With -f each pass maps fresh memory, touches every page and unmaps it: a steady stream of page faults.
 * SECONDS = 0 runs until killed. On exit prints "stream: <threads> threads <bytes> bytes <seconds> s <GB/s> GB/s".
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double seconds_limit;
static size_t per_thread_bytes;
static int fault_mode;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *stream(void *arg) {
    uint64_t *bytes = arg;
    size_t n = per_thread_bytes / (3 * sizeof(double));
    if (n < 1) n = 1;
    double t0 = now();
    uint64_t moved = 0;
    if (fault_mode) {
        long page = sysconf(_SC_PAGESIZE);
        for (;;) {
            char *p = mmap(NULL, per_thread_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) { perror("stream: mmap"); exit(1); }
            for (size_t i = 0; i < per_thread_bytes; i += page) p[i] = (char)i;
            munmap(p, per_thread_bytes);
            moved += per_thread_bytes;
            if (seconds_limit > 0 && now() - t0 >= seconds_limit) break;
        }
        *bytes = moved;
        return NULL;
    }
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c);
    if (!a || !b || !c) { fprintf(stderr, "stream: out of memory\n"); exit(1); }
    for (size_t i = 0; i < n; i++) { a[i] = 0; b[i] = 1.0; c[i] = 2.0; }
    const double q = 3.0;
    for (;;) {
        for (size_t i = 0; i < n; i++) a[i] = b[i] + q * c[i];
        moved += 3 * n * sizeof(double);
        double *t = a; a = b; b = t;
        if (seconds_limit > 0 && now() - t0 >= seconds_limit) break;
    }
    *bytes = moved + (uint64_t)(a[n / 2] < 0);
    free(a); free(b); free(c);
    return NULL;
}

int main(int argc, char **argv) {
    int threads = 1, opt;
    double mib = 256;
    while ((opt = getopt(argc, argv, "t:m:s:fh")) != -1) {
        switch (opt) {
        case 't': threads = atoi(optarg); break;
        case 'm': mib = atof(optarg); break;
        case 's': seconds_limit = atof(optarg); break;
        case 'f': fault_mode = 1; break;
        default:
            fprintf(stderr, "usage: %s [-t threads] [-m MiB] [-s seconds] [-f]\n", argv[0]);
            return opt == 'h' ? 0 : 2;
        }
    }
    if (threads < 1 || threads > 4096 || mib <= 0) { fprintf(stderr, "stream: bad arguments\n"); return 2; }
    per_thread_bytes = (size_t)(mib * 1024 * 1024 / threads);
    pthread_t *tid = calloc(threads, sizeof *tid);
    uint64_t *bytes = calloc(threads, sizeof *bytes);
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, stream, &bytes[i]);
    uint64_t total = 0;
    for (int i = 0; i < threads; i++) { pthread_join(tid[i], NULL); total += bytes[i]; }
    double s = now() - t0;
    printf("stream: %d threads %llu bytes %.3f s %.2f GB/s\n", threads, (unsigned long long)total, s, total / s / 1e9);
    return 0;
}
