/*
 * cohort-spin: a compute-bound workload for measuring real hosts.
 *
 *   cohort-spin [-t THREADS] [-s SECONDS]
 *
 * Each thread runs a dependent integer/floating-point loop that stays in registers (no memory traffic).
 * SECONDS = 0 (the default) spins until killed. On exit prints "spin: <threads> threads <iterations> iterations
 * <seconds> s" so a caller can compare throughput across frequencies.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile int stop_flag;
static double seconds_limit;

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *spin(void *arg) {
    uint64_t *count = arg;
    uint64_t x = 88172645463325252ULL, n = 0;
    double f = 1.0;
    double t0 = now();
    while (!stop_flag) {
        for (int i = 0; i < 100000; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            f = f * 1.0000001 + (double)(x & 1);
        }
        n++;
        if (seconds_limit > 0 && now() - t0 >= seconds_limit) break;
    }
    *count = n + (uint64_t)(f < 0);   /* keep f alive */
    return NULL;
}

int main(int argc, char **argv) {
    int threads = 1, opt;
    while ((opt = getopt(argc, argv, "t:s:h")) != -1) {
        switch (opt) {
        case 't': threads = atoi(optarg); break;
        case 's': seconds_limit = atof(optarg); break;
        default:
            fprintf(stderr, "usage: %s [-t threads] [-s seconds]\n", argv[0]);
            return opt == 'h' ? 0 : 2;
        }
    }
    if (threads < 1 || threads > 4096) { fprintf(stderr, "spin: bad thread count %d\n", threads); return 2; }
    pthread_t *tid = calloc(threads, sizeof *tid);
    uint64_t *counts = calloc(threads, sizeof *counts);
    double t0 = now();
    for (int i = 0; i < threads; i++) pthread_create(&tid[i], NULL, spin, &counts[i]);
    uint64_t total = 0;
    for (int i = 0; i < threads; i++) { pthread_join(tid[i], NULL); total += counts[i]; }
    printf("spin: %d threads %llu iterations %.3f s\n", threads, (unsigned long long)total * 100000ULL, now() - t0);
    return 0;
}
