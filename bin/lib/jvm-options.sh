# Sourced by bin/cohort (a checkout) and by /opt/cohort/bin/cohort (the Debian package, which ships this file as
# /opt/cohort/lib/jvm-options.sh): the JVM options of each subcommand, in one place so both start it alike.
#
# cohort_jvm_options HOME ARGS... sets the array COHORT_JVM_OPTS.
cohort_jvm_options() {
  local home="$1"; shift
  # Java 25 needs the first two for FFM (perf_event, sd_notify) and for libraries that still use sun.misc.Unsafe.
  COHORT_JVM_OPTS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
    -Dai.djl.offline=true -Doshi.util.memoizer.expiration=0 -Djava.awt.headless=true "-Dcohort.home=$home")
  local extra="${COHORT_JAVA_OPTS-}"
  # The daemon (and its benchmark) runs with the systemd unit's JVM options unless COHORT_JAVA_OPTS says otherwise:
  # the serial collector and C1-only compilation keep a 100 ms control loop under 1% of a core and 100 MB.
  if [ -z "${COHORT_JAVA_OPTS+set}" ] && { [ "${1:-}" = "run" ] || [ "${1:-} ${2:-}" = "bench daemon" ]; }; then
    extra="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms32m -Xmx256m"
  fi
  # COHORT_JAVA_OPTS is a space-separated list (as in the unit's Environment=): split on blanks, never globbed.
  local more=()
  read -r -a more <<< "$extra"
  COHORT_JVM_OPTS+=("${more[@]}")
}
