# Sourced by scripts/tillstream. Which JIT compilers a command's JVM uses. A short run spends its seconds compiling:
# C1 alone (-XX:TieredStopAtLevel=1) took the samples' batch from 22.1 to 15.4 s and one `sql` from 10.3 to 7.4 s,
# but a million events from 96 to 162 s (docs/benchmarks.md, "Fresh in seconds", fifth round). So C1 alone only for
# commands that read little: sql, status, config, validate, report, and a batch whose local inputs are smaller than
# SMALL_INPUT_BYTES (the bundled samples when none is given). Everything else, the stream and serve above all, keeps
# the default tiered JIT. TILLSTREAM_JAVA_OPTS, when set, decides alone.
# Expects the command line as arguments; sets JIT_OPTS.

# The input size below which a batch also runs Spark's expressions interpreted (SparkSessions.INTERPRET_BELOW_BYTES;
# JitChoiceTest keeps the two equal).
SMALL_INPUT_BYTES=67108864

jit_options() {
  JIT_OPTS=()
  [ -z "${TILLSTREAM_JAVA_OPTS:-}" ] || return 0
  case "${1:-}" in
    sql|status|config|validate|report|completion|help|-h|--help|-V|--version|"") JIT_OPTS=(-XX:TieredStopAtLevel=1) ;;
    batch) if small_inputs "$@"; then JIT_OPTS=(-XX:TieredStopAtLevel=1); fi ;;
  esac
}

# True when every --input is a local path and together they hold fewer than SMALL_INPUT_BYTES (no --input: the
# bundled samples). A URI with a scheme other than file: is not measured here, so it counts as large.
small_inputs() {
  local paths=() arg
  while [ $# -gt 0 ]; do
    arg="$1"; shift
    case "$arg" in
      --input) [ $# -gt 0 ] && { paths+=("$1"); shift; } ;;
      --input=*) paths+=("${arg#--input=}") ;;
    esac
  done
  [ ${#paths[@]} -gt 0 ] || return 0
  local local_paths=() p
  for p in "${paths[@]}"; do
    case "$p" in
      file:*) local_paths+=("${p#file:}") ;;
      *://*) return 1 ;;
      *) local_paths+=("$p") ;;
    esac
  done
  local bytes
  bytes=$(du -sbc "${local_paths[@]}" 2> /dev/null | awk 'END { print $1 + 0 }')
  [ "$bytes" -lt "$SMALL_INPUT_BYTES" ]
}
