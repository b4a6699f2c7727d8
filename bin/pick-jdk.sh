# Sourced by mvnw and the launch scripts: exports JAVA_HOME pointing at a JDK 21+ when the current
# one is older, because editflow targets Java 21 while many machines still default to 17.
# POSIX sh on purpose: mvnw runs under /bin/sh.

editflow_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

editflow_pick_jdk() {
  for candidate in "${JAVA_HOME:-}" "$(command -v java 2>/dev/null | xargs -r readlink -f 2>/dev/null | sed 's:/bin/java$::')" \
    /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(editflow_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      return 0
    fi
  done
  echo "editflow needs a JDK 21 or newer; none found in JAVA_HOME, PATH, /usr/lib/jvm, ~/.sdkman or ~/.jdks." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21/25) or set JAVA_HOME." >&2
  return 1
}
