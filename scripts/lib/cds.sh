# Sourced by scripts/tillstream. Class-data sharing for the command line: a JVM maps the ~20,000 classes of Spark,
# Delta and Scala a run loads from an archive instead of loading and verifying each one, which takes seconds off
# every command (docs/benchmarks.md, "Cold start"). The archive belongs to one build: it is made by a training run
# (a batch over the bundled samples into a throw-away lake) the first time a command runs after a build, and
# remade when any jar on the classpath is newer. TILLSTREAM_CDS=off turns it off.
# Expects HOME_DIR, JAR, CP_FILE and JAVA_OPTS_ARRAY; sets CDS_OPTS.

cds_archive_options() {
  CDS_OPTS=()
  [ "${TILLSTREAM_CDS:-on}" != "off" ] || return 0
  local archive="$HOME_DIR/jobs/target/tillstream-cds.jsa"
  # The JVM refuses an archive whose jars changed (and says so); remake it instead.
  if ! cds_current "$archive"; then
    command -v flock > /dev/null || return 0
    (
      flock 9
      cds_current "$archive" || cds_train "$archive"
    ) 9> "$archive.lock" || true
  fi
  if cds_current "$archive"; then
    CDS_OPTS=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}

cds_current() {
  local jars
  IFS=: read -r -a jars < "$CP_FILE"
  [ -s "$1" ] && [ -z "$(find "$JAR" "$CP_FILE" "${jars[@]}" -newer "$1" -print -quit 2> /dev/null)" ]
}

cds_train() {
  local archive="$1" work
  work="$(mktemp -d)"
  echo "tillstream: preparing the class-data sharing archive for this build (once, about a minute) ..." >&2
  # shellcheck disable=SC2086
  if TILLSTREAM_PII_KEY="cds-training-only-key-0123456789" java "${JAVA_OPTS_ARRAY[@]}" \
      -XX:ArchiveClassesAtExit="$work/tillstream.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
      -Dtillstream.home="$HOME_DIR" -Dlog4j2.configurationFile="$HOME_DIR/conf/log4j2.properties" \
      -cp "$JAR:$(cat "$CP_FILE")" io.tillstream.jobs.Main batch --input "$HOME_DIR/data-samples/events" \
      --dims "$HOME_DIR/data-samples/dims" --lake "$work/lake" > "$work/out.txt" 2>&1 \
      && [ -s "$work/tillstream.jsa" ]; then
    mv "$work/tillstream.jsa" "$archive"
  else
    echo "tillstream: no class-data sharing archive (training run failed, see below); running without it" >&2
    tail -5 "$work/out.txt" >&2
  fi
  rm -rf "$work"
}
