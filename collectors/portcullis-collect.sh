#!/bin/sh
# Portcullis agentless collector: run on a target as `ssh HOST sh -s` (or `sudo -n sh -s`),
# with this text on standard input after two assignments the caller prepends:
#
#   PORTCULLIS_TOKEN=<32 hex digits, random per run>
#   PORTCULLIS_SYSCTL_PATHS='/proc/sys/net/ipv4/ip_forward /proc/sys/…'
#
# It changes nothing on the target. It prints every raw input that a local
# `portcullis collect` reads (files, directory listings, symbolic links, command output
# and exit codes) as a bundle of records, and the caller replays them into the very same
# collector, so the snapshot is the one a local collect would have written. The only
# tools used are those a local collect runs (ip, ss, nft, iptables-*, ipset) and POSIX
# ones (awk, cat, cmp, cp, ls, grep, id, sort, tail, uname, wc, mkdir, rm).
#
# A record is a header line, the raw bytes, a newline, and a trailer line:
#
#   @@TOKEN KIND KEY
#   <bytes exactly as read>
#   @@TOKEN. STATUS
#
# KIND is meta, file, dir, fds (an `ls -l` of one /proc/PID/fd), fdscan (an `ls -l` of
# many, each under its "/proc/PID/fd:" header), exec (stdout; STATUS is the exit code, or
# ENOENT when the command is not installed) or stderr. A file's STATUS is ok,
# ENOENT, EACCES or EIO. The random token cannot occur in what is read by chance, and
# other users of the target do not know it. The last record is `done`: a bundle without
# it was cut short.

set -u

portcullis_begin() { printf '@@%s %s %s\n' "$PORTCULLIS_TOKEN" "$1" "$2"; }
portcullis_end() { printf '\n@@%s. %s\n' "$PORTCULLIS_TOKEN" "$1"; }

# Why a path could not be read, in errno words: absent, refused, or failed while reading.
portcullis_failure() {
  if [ ! -e "$1" ]; then echo ENOENT
  elif [ ! -r "$1" ]; then echo EACCES
  else echo EIO
  fi
}

portcullis_file() {
  portcullis_begin file "$1"
  if cat -- "$1" 2>/dev/null; then portcullis_end ok; else portcullis_end "$(portcullis_failure "$1")"; fi
}

portcullis_dir() {
  portcullis_begin dir "$1"
  if [ -d "$1" ] && ls -A -- "$1" 2>/dev/null; then portcullis_end ok; else portcullis_end "$(portcullis_failure "$1")"; fi
}

# Run argv with its output kept apart; sets portcullis_rc to the exit code or ENOENT.
portcullis_exec() {
  portcullis_key="$*"
  if ! command -v "$1" >/dev/null 2>&1; then
    portcullis_rc=ENOENT
    portcullis_begin exec "$portcullis_key"
    portcullis_end ENOENT
    return
  fi
  "$@" <"${portcullis_in:-/dev/null}" >"$portcullis_tmp/out" 2>"$portcullis_tmp/err"
  portcullis_rc=$?
  portcullis_begin exec "$portcullis_key"
  cat "$portcullis_tmp/out"
  portcullis_end "$portcullis_rc"
  portcullis_begin stderr "$portcullis_key"
  cat "$portcullis_tmp/err"
  portcullis_end ok
}

# portcullis_exec with $1 on the command's standard input (the record's key is the argv alone).
portcullis_exec_input() {
  printf '%s' "$1" >"$portcullis_tmp/in"
  shift
  portcullis_in=$portcullis_tmp/in
  portcullis_exec "$@"
  portcullis_in=''
}

portcullis_meta() {
  portcullis_begin meta "$1"
  shift
  if "$@" 2>/dev/null; then portcullis_end ok; else portcullis_end EIO; fi
}

# The sockets' owners. One `ls -l` of every readable /proc/PID/fd (a fork per process
# costs seconds on a loaded host) prints each link ("lrwx------ 1 root root 64 Dec  2
# 05:00 3 -> socket:[1234]") under a "/proc/PID/fd:" header; a directory we may not read
# (another user's process) or that is gone gets its own record. Then comm, cmdline and
# status of the processes holding an inode of /proc/net/{tcp,tcp6,udp,udp6}. `-q` prints
# a newline in a link target (a file name chosen by any user) as "?", so no name can forge
# a header or a socket line.
portcullis_processes() {
  # One listing of /proc, printed and walked, so every pid the collector sees has its record.
  portcullis_begin dir /proc
  if ls -A /proc >"$portcullis_tmp/proc" 2>/dev/null; then
    cat "$portcullis_tmp/proc"
    portcullis_end ok
  else
    : >"$portcullis_tmp/proc"
    portcullis_end "$(portcullis_failure /proc)"
  fi
  portcullis_readable=''
  portcullis_count=0
  for portcullis_pid in $(grep '^[0-9][0-9]*$' "$portcullis_tmp/proc"); do
    if [ -r "/proc/$portcullis_pid/fd" ]; then
      portcullis_readable="$portcullis_readable /proc/$portcullis_pid/fd"
      portcullis_count=$((portcullis_count + 1))
      portcullis_single=$portcullis_pid
    else
      portcullis_begin fds "/proc/$portcullis_pid/fd"
      if [ -e "/proc/$portcullis_pid" ]; then portcullis_end EACCES; else portcullis_end ENOENT; fi
    fi
  done
  : >"$portcullis_tmp/fds"
  if [ "$portcullis_count" = 1 ]; then
    # ls prints no header for a single directory: name it in the record.
    portcullis_begin fds "/proc/$portcullis_single/fd"
    ls -lq -- $portcullis_readable >"$portcullis_tmp/fds" 2>/dev/null
    cat "$portcullis_tmp/fds"
    portcullis_end ok
  elif [ "$portcullis_count" -gt 1 ]; then
    # A directory gone by now (the process exited) has no section: read as ENOENT.
    portcullis_begin fdscan all
    ls -lq -- $portcullis_readable >"$portcullis_tmp/fds" 2>/dev/null
    cat "$portcullis_tmp/fds"
    portcullis_end ok
  fi
  portcullis_tables=''
  for portcullis_f in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6; do
    if [ -r "$portcullis_f" ]; then portcullis_tables="$portcullis_tables $portcullis_f"; fi
  done
  portcullis_owners=$(awk -v single="${portcullis_single:-}" -v count="$portcullis_count" '
    FILENAME ~ /^\/proc\/net\// { if (FNR > 1 && $10 != "0") inode[$10] = 1; next }
    FNR == 1 { pid = (count == 1) ? single : "" }
    /^\/proc\/[0-9]+\/fd:$/ { pid = $0; sub(/^\/proc\//, "", pid); sub(/\/fd:$/, "", pid); next }
    / -> socket:\[[0-9]+\]$/ { s = $0; sub(/.*socket:\[/, "", s); sub(/\]$/, "", s); if ((s in inode) && pid != "") own[pid] = 1 }
    END { for (p in own) print p }
  ' $portcullis_tables "$portcullis_tmp/fds")
  for portcullis_pid in $portcullis_owners; do
    portcullis_file "/proc/$portcullis_pid/comm"
    portcullis_file "/proc/$portcullis_pid/cmdline"
    portcullis_file "/proc/$portcullis_pid/status"
  done
}

# Whether <tool>-legacy-save has anything to print (src/collect/needless-dumps.ts): it lists
# the tables named in /proc/net/ip_tables_names, so an absent or empty file means none.
portcullis_legacy_tables() {
  if [ "$1" = iptables ]; then portcullis_names=/proc/net/ip_tables_names; else portcullis_names=/proc/net/ip6_tables_names; fi
  portcullis_file "$portcullis_names"
  [ -e "$portcullis_names" ] || return 1
  [ -r "$portcullis_names" ] || return 0
  grep -q '[^[:space:]]' "$portcullis_names"
}

# Whether the ip_set module is there (src/collect/needless-dumps.ts): asking ipset without it
# would load it. Anything unsure answers yes.
portcullis_ipset_loaded() {
  portcullis_file /proc/modules
  [ -r /proc/modules ] || return 0
  grep -q '^ip_set ' /proc/modules && return 0
  portcullis_dir /sys/module
  [ -d /sys/module ] || return 0
  [ -e /sys/module/ip_set ] && return 0
  portcullis_release=$(uname -r 2>/dev/null) || return 0
  portcullis_file "/lib/modules/$portcullis_release/modules.builtin"
  if [ -e "/lib/modules/$portcullis_release/modules.builtin" ]; then
    [ -r "/lib/modules/$portcullis_release/modules.builtin" ] || return 0
    grep -Eq '(^|/)ip_set\.ko$' "/lib/modules/$portcullis_release/modules.builtin" && return 0
  fi
  return 1
}

# Every xtables table an -nft-save dump holds whole is in the table list (else the list is not trusted).
portcullis_holds_only_listed() {
  for portcullis_fam in ip ip6; do
    if [ "$portcullis_fam" = ip ]; then portcullis_save=$portcullis_tmp/save.iptables; else portcullis_save=$portcullis_tmp/save.ip6tables; fi
    [ -f "$portcullis_save" ] || continue
    for portcullis_name in $(grep -E '^[*](filter|nat|mangle|raw|security)([^A-Za-z0-9_]|$)' "$portcullis_save" | sed 's/^[*]\([a-z]*\).*/\1/'); do
      grep -q "^# Table \`$portcullis_name'" "$portcullis_save" && continue
      grep -qx "table $portcullis_fam $portcullis_name [{]" "$portcullis_tmp/margin" || return 1
    done
  done
  return 0
}

# The nft dumps as a local collect asks for them (src/collect/nft-listing.ts): a table that
# iptables-nft-save printed is not listed again with nft; the whole ruleset when nothing is
# left out, or on any doubt (a table list it cannot read, a listing that fails, tables that
# changed meanwhile).
portcullis_nft() {
  # `list flowtables` prints every table ("table ip filter {" … "}", flowtables indented)
  # without fetching the rules that `list tables` fetches.
  portcullis_exec nft list flowtables
  grep -v '^[[:space:]]' "$portcullis_tmp/out" | grep -v '^}$' | grep -v '^$' >"$portcullis_tmp/margin"
  if [ "$portcullis_rc" != 0 ] || grep -Evq '^table [a-z0-9]+ [A-Za-z0-9_./-]+ [{]$' "$portcullis_tmp/margin" \
    || ! grep -Eq '^table ip6? (filter|nat|mangle|raw|security) [{]$' "$portcullis_tmp/margin" \
    || ! portcullis_holds_only_listed; then
    portcullis_exec nft -j list ruleset
    return
  fi
  sed 's/ [{]$//' "$portcullis_tmp/margin" >"$portcullis_tmp/out"
  sort "$portcullis_tmp/out" >"$portcullis_tmp/tables"
  portcullis_left=0
  : >"$portcullis_tmp/list"
  while read -r portcullis_kw portcullis_fam portcullis_name; do
    [ -n "$portcullis_kw" ] || continue
    portcullis_save=''
    case "$portcullis_fam" in ip) portcullis_save=$portcullis_tmp/save.iptables ;; ip6) portcullis_save=$portcullis_tmp/save.ip6tables ;; esac
    case "$portcullis_name" in filter | nat | mangle | raw | security) ;; *) portcullis_save='' ;; esac
    if [ -n "$portcullis_save" ] && [ -f "$portcullis_save" ] && grep -Eq "^\\*$portcullis_name([^A-Za-z0-9_]|\$)" "$portcullis_save" \
      && ! grep -q "^# Table \`$portcullis_name'" "$portcullis_save"; then
      portcullis_left=1
    else
      echo "$portcullis_fam $portcullis_name" >>"$portcullis_tmp/list"
    fi
  done <"$portcullis_tmp/out"
  if [ "$portcullis_left" = 0 ]; then
    portcullis_exec nft -j list ruleset
    return
  fi
  portcullis_ok=1
  portcullis_i=0
  while read -r portcullis_fam portcullis_name; do
    portcullis_i=$((portcullis_i + 1))
    nft -j list table "$portcullis_fam" "$portcullis_name" >"$portcullis_tmp/table.$portcullis_i" 2>"$portcullis_tmp/table.$portcullis_i.err" || portcullis_ok=0
  done <"$portcullis_tmp/list"
  if [ "$portcullis_ok" = 1 ] && nft list flowtables 2>/dev/null | grep '^table ' | sed 's/ [{]$//' | sort >"$portcullis_tmp/tables.after" \
    && cmp -s "$portcullis_tmp/tables" "$portcullis_tmp/tables.after"; then
    portcullis_i=0
    while read -r portcullis_fam portcullis_name; do
      portcullis_i=$((portcullis_i + 1))
      portcullis_begin exec "nft -j list table $portcullis_fam $portcullis_name"
      cat "$portcullis_tmp/table.$portcullis_i"
      portcullis_end 0
      portcullis_begin stderr "nft -j list table $portcullis_fam $portcullis_name"
      cat "$portcullis_tmp/table.$portcullis_i.err"
      portcullis_end ok
    done <"$portcullis_tmp/list"
  else
    portcullis_exec nft -j list ruleset
  fi
}

# Without a working `ip -j`, the collector reads the interfaces from /sys and /proc.
portcullis_interfaces_fallback() {
  portcullis_dir /sys/class/net
  for portcullis_if in $(ls -A /sys/class/net 2>/dev/null); do
    for portcullis_f in ifindex flags type operstate; do portcullis_file "/sys/class/net/$portcullis_if/$portcullis_f"; done
  done
  portcullis_file /proc/net/if_inet6
  portcullis_file /proc/net/fib_trie
  portcullis_file /proc/net/route
}

portcullis_main() {
  LC_ALL=C
  export LC_ALL
  # sshd's default PATH for a normal user lacks the sbin directories where nft and ip live.
  PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
  export PATH
  umask 077
  # A private scratch directory (mode 700): the first writable of $TMPDIR, /tmp, /dev/shm, /var/tmp.
  portcullis_tmp=''
  for portcullis_d in "${TMPDIR:-/tmp}" /tmp /dev/shm /var/tmp; do
    if mkdir "$portcullis_d/portcullis-collect.$$" 2>/dev/null; then portcullis_tmp="$portcullis_d/portcullis-collect.$$"; break; fi
  done
  if [ -z "$portcullis_tmp" ]; then
    echo "portcullis: cannot create a temporary directory in \$TMPDIR, /tmp, /dev/shm or /var/tmp" >&2
    exit 70
  fi
  trap 'rm -rf "$portcullis_tmp"' EXIT
  trap 'exit 130' INT TERM HUP

  portcullis_begin portcullis-ssh-bundle 1
  portcullis_end ok
  portcullis_meta ruid id -ru
  portcullis_meta euid id -u
  portcullis_meta hostname uname -n
  portcullis_meta kernel uname -r

  # iproute2 as a local collect asks it (src/collect/ip-reads.ts): the interfaces with IPv4's
  # routes and rules in one ip, then IPv6's in another; the commands one by one when a batch did
  # not print exactly its count of newline-ended lines (or IPv4's routes hold an IPv6 destination).
  portcullis_exec_input 'addr show
route show table all root 0.0.0.0/0
rule show
' ip -j -batch -
  if [ "$portcullis_rc" != 0 ] || [ "$(($(wc -l <"$portcullis_tmp/out")))" != 3 ] || [ -n "$(tail -c 1 "$portcullis_tmp/out")" ] || sed -n 2p "$portcullis_tmp/out" | grep -q '"dst":"[^"]*:'; then
    portcullis_exec ip -j addr show
    if [ "$portcullis_rc" != 0 ]; then portcullis_interfaces_fallback; fi
    portcullis_exec ip -j -4 route show table all
    portcullis_exec ip -j -4 rule show
  fi
  portcullis_exec_input 'route show table all
rule show
' ip -j -6 -batch -
  if [ "$portcullis_rc" != 0 ] || [ "$(($(wc -l <"$portcullis_tmp/out")))" != 2 ] || [ -n "$(tail -c 1 "$portcullis_tmp/out")" ]; then
    portcullis_exec ip -j -6 route show table all
    portcullis_exec ip -j -6 rule show
  fi
  portcullis_exec ss -Htulne
  for portcullis_tool in iptables ip6tables; do
    portcullis_exec "$portcullis_tool-nft-save"
    portcullis_nft_rc=$portcullis_rc
    if [ "$portcullis_rc" = 0 ]; then cp "$portcullis_tmp/out" "$portcullis_tmp/save.$portcullis_tool"; fi
    portcullis_rc=skipped
    if portcullis_legacy_tables "$portcullis_tool"; then portcullis_exec "$portcullis_tool-legacy-save"; fi
    if [ "$portcullis_nft_rc" = ENOENT ] && { [ "$portcullis_rc" = ENOENT ] || [ "$portcullis_rc" = skipped ]; }; then
      portcullis_exec "$portcullis_tool-save"
      portcullis_exec "$portcullis_tool-save" --version
    fi
  done
  portcullis_nft
  if portcullis_ipset_loaded; then portcullis_exec ipset save; fi

  for portcullis_f in /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 /etc/passwd; do portcullis_file "$portcullis_f"; done
  for portcullis_f in $PORTCULLIS_SYSCTL_PATHS; do portcullis_file "$portcullis_f"; done
  for portcullis_f in /proc/sys/net/ipv4/conf/*; do
    [ -d "$portcullis_f" ] || continue
    portcullis_file "$portcullis_f/rp_filter"
    portcullis_file "$portcullis_f/route_localnet"
  done
  portcullis_processes

  portcullis_begin done all
  portcullis_end ok
}

# Parsed whole before it runs, and nothing reads the rest of standard input as data.
portcullis_main </dev/null
