# Sourced by scripts/spark-submit and scripts/cluster: a Spark home built from Maven jars, and Spark's launcher.
# Expects HOME_DIR (the project directory).

SPARK_HOME_POM="$HOME_DIR/scripts/spark-home/pom.xml"

# Builds (once, again when scripts/spark-home/pom.xml changes) $1 = a Spark home: jars/ from Maven, a RELEASE
# marker so Spark's launcher treats it as a release, conf/ left to SPARK_CONF_DIR.
ensure_spark_home() {
  local home="$1"
  if [ ! -f "$home/RELEASE" ] || [ "$SPARK_HOME_POM" -nt "$home/RELEASE" ]; then
    echo "spark-home: building $home from Maven jars (mvn -f scripts/spark-home/pom.xml) ..." >&2
    rm -rf "$home/jars"
    mkdir -p "$home/jars"
    mvn -q -B -f "$SPARK_HOME_POM" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$home/jars" 1>&2
    echo "Spark 4.2.0 (Scala 2.13) jars from Maven Central, built by Tillstream's scripts/lib/spark-home.sh" \
      > "$home/RELEASE"
  fi
}

# Runs a Spark class the way $SPARK_HOME/bin/spark-class does: Spark's launcher builds the java command
# (memory, --add-opens, classpath with SPARK_CONF_DIR), printed NUL-separated, then it is exec'ed.
spark_class() {
  local launcher_java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
  local cmd=() arg delim=$'\n' started=false
  # The launcher prints messages line by line, then an empty line, then the command NUL-separated.
  while IFS= read -d "$delim" -r arg; do
    if [ "$started" = true ]; then
      cmd+=("$arg")
    elif [ -z "$arg" ]; then
      delim=''
      started=true
    else
      echo "$arg" >&2
    fi
  done < <("$launcher_java" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main "$@"; printf '%d\0' $?)
  local last=$((${#cmd[@]} - 1))
  local code="${cmd[$last]:-}"
  if [ "$last" -lt 1 ] || ! [[ "$code" =~ ^[0-9]+$ ]]; then
    echo "spark launcher failed: ${cmd[*]:-no command}" >&2
    return 1
  fi
  [ "$code" = 0 ] || return "$code"
  exec "${cmd[@]:0:$last}"
}
