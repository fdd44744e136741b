# slurm_lib.sh — a one-node Slurm (munged + slurmctld + slurmd) for the
# Slurm evaluator's tests and benchmark; sourced after tests/lib.sh (or on its
# own by bench/slurm.sh).
#
# slurm_up starts the cluster with a slurm.conf generated in $SLURM_DIR
# (default /tmp/invdes-slurm: configuration, state, spool and logs all live
# there, /etc/slurm is left alone) and exports SLURM_CONF so that sbatch,
# squeue, scontrol and invdes find it. It waits until `sinfo` shows the node
# idle. It is idempotent: a controller already answering on that
# configuration is reused and left running by slurm_down (only what this
# shell started is stopped); a munged already running is reused and left
# alone. slurm_down stops what slurm_up started: `scontrol shutdown`
# (controller and slurmd), then munged by its pid. slurm_skip_or_need
# implements the tests' policy: exit 77 (skip) when INVDES_SLURM_TESTS=0 or
# not root, FAIL when Slurm is not installed. Needs root (slurmd runs jobs as
# their submitter, and munged's socket lives in /run/munge). The node has
# this host's CPUs; memory is not a consumable resource (CR_Core: without a
# RealMemory every job would hold the node's whole default 1 MB, one job at
# a time) and the partition lets 4 jobs share a CPU (OverSubscribe) because
# the tests' tasks mostly sleep and two campaigns run side by side.
SLURM_DIR=${SLURM_DIR:-/tmp/invdes-slurm}
export SLURM_CONF="$SLURM_DIR/slurm.conf"
slurm_started=0
munge_started=0

# slurm_skip_or_need NAME: the tests' policy (above).
slurm_skip_or_need() {
  if [ "${INVDES_SLURM_TESTS:-1}" = 0 ]; then
    echo "$1: skipped (INVDES_SLURM_TESTS=0)"; exit 77
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "$1: skipped: a one-node Slurm needs root (slurmd, munged); run as root"; exit 77
  fi
  for t in slurmctld slurmd munged sbatch squeue scontrol scancel sinfo; do
    command -v "$t" >/dev/null 2>&1 || [ -x "/usr/sbin/$t" ] ||
      { echo "FAIL: $1 needs $t (scripts/install-deps installs slurmctld slurmd slurm-client munge)"; exit 1; }
  done
  PATH=$PATH:/usr/sbin
}

slurm_write_conf() {
  mkdir -p "$SLURM_DIR/state" "$SLURM_DIR/spool" "$SLURM_DIR/log"
  cat >"$SLURM_CONF.tmp" <<EOF
ClusterName=invdes-test
SlurmctldHost=localhost
SlurmUser=root
SlurmctldPidFile=$SLURM_DIR/slurmctld.pid
SlurmdPidFile=$SLURM_DIR/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
StateSaveLocation=$SLURM_DIR/state
SlurmdSpoolDir=$SLURM_DIR/spool
SlurmctldLogFile=$SLURM_DIR/log/slurmctld.log
SlurmdLogFile=$SLURM_DIR/log/slurmd.log
SchedulerParameters=sched_interval=1
MessageTimeout=10
SlurmdTimeout=30
ReturnToService=2
NodeName=localhost NodeHostname=$(hostname) CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
EOF
  mv "$SLURM_CONF.tmp" "$SLURM_CONF"
}

slurm_munge_up() {
  if [ -S /run/munge/munge.socket.2 ] && munge -n </dev/null >/dev/null 2>&1; then return 0; fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null
  su -s /bin/sh munge -c /usr/sbin/munged || return 1
  munge_started=1
}

# slurm_alive PIDFILE: the daemon it names runs (a zombie does not count).
slurm_alive() {
  [ -f "$1" ] && p=$(cat "$1") && [ -r "/proc/$p/status" ] &&
    ! grep -q '^State:[[:space:]]*Z' "/proc/$p/status"
}

# slurm_idle SECONDS: waits until the node is idle; 1 when it never is.
slurm_idle() {
  i=0
  while [ "$i" -lt "$(($1 * 5))" ]; do
    case $(sinfo -h -n localhost -o %t 2>/dev/null) in idle) return 0 ;; esac
    sleep 0.2; i=$((i + 1))
  done
  return 1
}

slurm_up() {
  if [ -f "$SLURM_CONF" ] && scontrol ping 2>/dev/null | grep -q UP && slurm_idle 10; then
    return 0
  fi
  slurm_write_conf
  slurm_munge_up || { echo "FAIL: munged does not start"; return 1; }
  scontrol ping 2>/dev/null | grep -q UP || {
    slurmctld -i -f "$SLURM_CONF" || { echo "FAIL: slurmctld does not start"; return 1; }
    slurm_started=1
  }
  slurm_alive "$SLURM_DIR/slurmd.pid" || {
    slurmd -f "$SLURM_CONF" || { echo "FAIL: slurmd does not start"; return 1; }
    slurm_started=1
  }
  slurm_idle 60 || {
    echo "FAIL: the node never became idle:"; sinfo; tail -n 5 "$SLURM_DIR/log/"*.log; return 1
  }
}

slurm_down() {
  if [ "$slurm_started" = 1 ]; then
    scontrol shutdown >/dev/null 2>&1
    for f in slurmctld slurmd; do
      i=0
      while slurm_alive "$SLURM_DIR/$f.pid" && [ "$i" -lt 50 ]; do
        sleep 0.2; i=$((i + 1))
      done
    done
    slurm_started=0
  fi
  if [ "$munge_started" = 1 ]; then
    [ -f /run/munge/munged.pid ] && kill "$(cat /run/munge/munged.pid)" 2>/dev/null
    munge_started=0
  fi
}
