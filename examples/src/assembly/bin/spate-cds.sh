# Class data sharing (AppCDS) for the Spate launchers, sourced by bin/spate and the repository's
# ./spate; POSIX sh. A node's JVM spends one to two CPU seconds of its start loading and linking
# the same few thousand classes (Pekko, Kafka, Scala, Spate) every time. A `run` or `demo` started
# without an archive writes one of the classes it loaded as it exits (-XX:ArchiveClassesAtExit);
# it is kept if that node computed a batch (it leaves NAME.ok: io.spate.cli.ClassArchive), and
# every later start of the same Java and class path maps it instead of loading those classes.
#
# spate_cds JAVA CLASSPATH DIR COMMAND PATH...  sets SPATE_CDS_OPT to one JVM option, or to nothing.
#   DIR holds the archives; PATH... are the jars and folders of CLASSPATH: an archive older than
#   any of them (a rebuild, a reinstall) is made again. COMMAND is the spate subcommand.
#
# SPATE_CDS=off turns it off; SPATE_CDS_DIR chooses where archives go (about 50 MB each). It also stays off when SPATE_JAVA_OPTS sets class data sharing
# itself, when DIR cannot be written, or when find or cksum is missing (a bare PATH). The JVM's
# own CDS messages are silenced (-Xlog:cds*=off): an archive that does not fit this JVM is
# ignored, and the start is simply as slow as without one.
spate_cds() {
  SPATE_CDS_OPT=
  cds_java=$1 cds_cp=$2 cds_dir=$3 cds_command=$4
  shift 4
  [ "${SPATE_CDS:-on}" != off ] || return 0
  case " ${SPATE_JAVA_OPTS:-} " in
    *SharedArchiveFile* | *ArchiveClassesAtExit* | *" -Xshare:"*) return 0 ;;
  esac
  for cds_tool in find cksum ls mkdir mv rm; do
    command -v "$cds_tool" >/dev/null 2>&1 || return 0
  done
  mkdir -p "$cds_dir" 2>/dev/null && [ -w "$cds_dir" ] || return 0
  # One archive per Java (its real path and its release file, which names the version) and class
  # path, so that installs and JDKs side by side, or a JDK updated in place, keep their own.
  cds_jvm=$(command -v "$cds_java") || return 0
  while [ -h "$cds_jvm" ]; do
    cds_link=$(ls -ld "$cds_jvm")
    cds_link=${cds_link#*' -> '}
    case $cds_link in
      /*) cds_jvm=$cds_link ;;
      *) cds_jvm=${cds_jvm%/*}/$cds_link ;;
    esac
  done
  cds_release=$(cksum "${cds_jvm%/bin/java}/release" 2>/dev/null) || cds_release=
  cds_key=$(printf '%s\n%s\n%s\n' "$cds_jvm" "$cds_release" "$cds_cp" | cksum)
  cds_archive=$cds_dir/spate-${cds_key%% *}.jsa
  if [ -f "$cds_archive" ] && [ -n "$(find "$@" -newer "$cds_archive" -print 2>/dev/null)" ]; then
    rm -f "$cds_archive" 2>/dev/null || true
  fi
  # An earlier run wrote NAME.PID.tmp as it exited. Once its JVM is gone, an archive it marked as
  # from a working node is checked whole (region checksums: a cut-off archive, say from a kill
  # during the write, would crash the JVM that maps it) and taken; any other is dropped.
  for cds_tmp in "$cds_archive".*.tmp; do
    [ -f "$cds_tmp" ] || continue
    cds_pid=${cds_tmp%.tmp}
    cds_pid=${cds_pid##*.}
    ! kill -0 "$cds_pid" 2>/dev/null || continue
    if [ ! -f "$cds_archive" ] && [ -f "$cds_tmp.ok" ] && [ -z "$(find "$@" -newer "$cds_tmp" -print 2>/dev/null)" ] &&
       { "$cds_java" -Xshare:on -XX:+VerifySharedSpaces "-XX:SharedArchiveFile=$cds_tmp" -Xlog:cds*=off \
           -XX:ErrorFile=/dev/null -XX:-CreateCoredumpOnCrash -cp "$cds_cp" -version >/dev/null 2>&1; } 2>/dev/null; then
      # Another launcher may have taken it meanwhile; either way this start goes on.
      mv -f "$cds_tmp" "$cds_archive" 2>/dev/null || true
    fi
    rm -f "$cds_tmp" "$cds_tmp.ok" 2>/dev/null || true
  done
  if [ -f "$cds_archive" ]; then
    SPATE_CDS_OPT=-XX:SharedArchiveFile=$cds_archive
  elif [ "$cds_command" = run ] || [ "$cds_command" = demo ]; then
    # $$ is the JVM's process id too: the launcher execs it.
    SPATE_CDS_OPT=-XX:ArchiveClassesAtExit=$cds_archive.$$.tmp
  fi
}
