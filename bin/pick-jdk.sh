# Sourced by mvnw and the launch scripts: exports JAVA_HOME pointing at a JDK 21+ when the current
# one is older, because editflow targets Java 21 while many machines still default to 17.
# POSIX sh on purpose: mvnw runs under /bin/sh.

editflow_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

# The JDK home of the java on PATH, following symlinks (readlink -f is not on older macOS).
editflow_java_on_path() {
  java_path=$(command -v java 2>/dev/null) || return 0
  while [ -L "$java_path" ]; do
    link=$(readlink "$java_path")
    case "$link" in
      /*) java_path=$link ;;
      *) java_path=$(dirname "$java_path")/$link ;;
    esac
  done
  echo "${java_path%/bin/java}"
}

editflow_pick_jdk() {
  macos_home=""
  if [ -x /usr/libexec/java_home ]; then
    macos_home=$(/usr/libexec/java_home -v 21+ 2>/dev/null || true)
  fi
  for candidate in "${JAVA_HOME:-}" "$(editflow_java_on_path)" "$macos_home" \
    /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(editflow_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      JAVA_HOME="$candidate"
      export JAVA_HOME
      return 0
    fi
  done
  echo "editflow needs a JDK 21 or newer; none found in JAVA_HOME, PATH, /usr/lib/jvm, /Library/Java, ~/.sdkman or ~/.jdks." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk', 'brew install openjdk@21', or Temurin 21/25) or set JAVA_HOME." >&2
  return 1
}
