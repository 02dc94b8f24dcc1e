# Sourced by bin/cohort and bin/test: sets JAVA_HOME to a JDK 25 or newer, or exits with a message.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }

find_java() {
  local c
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 \
           /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64 /usr/lib/jvm/jdk-25* \
           /usr/lib/jvm/*25* /opt/java/openjdk /usr/local/lib/jvm/*25*; do
    [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
    if [ "$(java_major "$c/bin/java")" -ge 25 ] 2>/dev/null; then echo "$c"; return 0; fi
  done
  if command -v java >/dev/null 2>&1 && [ "$(java_major java)" -ge 25 ] 2>/dev/null; then
    dirname "$(dirname "$(readlink -f "$(command -v java)")")"; return 0
  fi
  return 1
}

if ! JAVA_HOME="$(find_java)"; then
  echo "cohort: no JDK 25 found (looked at \$JAVA_HOME and /usr/lib/jvm); install one and set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME
