# Sourced by scripts/tillstream and scripts/spark-submit. Expects HOME_DIR (the project directory).

# Builds the project when a jar is missing or a source or pom is newer than the spark-submit jar. One build makes
# both jars: the thin one with classpath.txt (scripts/tillstream) and tillstream-jobs.jar (spark-submit).
ensure_app_jar() {
  local jar="$HOME_DIR/jobs/target/tillstream-jobs.jar"
  if [ ! -f "$jar" ] || [ ! -f "$HOME_DIR/jobs/target/classpath.txt" ] \
      || ! compgen -G "$HOME_DIR/jobs/target/tillstream-jobs-*.jar" > /dev/null || [ -n "$(find "$HOME_DIR/common/src/main" \
      "$HOME_DIR/generator/src/main" "$HOME_DIR/jobs/src/main" "$HOME_DIR/sql-client/src/main" "$HOME_DIR/pom.xml" \
      "$HOME_DIR/common/pom.xml" "$HOME_DIR/generator/pom.xml" "$HOME_DIR/jobs/pom.xml" "$HOME_DIR/sql-client/pom.xml" \
      -newer "$jar" -print -quit)" ]; then
    echo "tillstream: building (mvn -q -B -DskipTests install) ..." >&2
    (cd "$HOME_DIR" && mvn -q -B -DskipTests install 1>&2)
  fi
}
