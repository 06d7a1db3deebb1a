# tests/free_port.sh — sourced by tests/api/run and tests/bench/run:
# free_port prints a free TCP port on 127.0.0.1, never one this run has
# handed out already. The kernel may give a port it just freed again, and
# two parts of one stack (the web server and the streamer) on one port
# hang every /ws request. The calls run in subshells ($(free_port)), so the
# ports given are remembered in a file, removed when the run exits.
free_port_list=$(mktemp)
trap 'rm -f "$free_port_list"' EXIT

free_port() {
	local p
	while :; do
		p=$(perl -MIO::Socket::INET -e '
			my $s = IO::Socket::INET->new(Listen => 1,
			    LocalAddr => "127.0.0.1", LocalPort => 0,
			    Proto => "tcp") or die;
			print $s->sockport, "\n";') || return 1
		grep -qx "$p" "$free_port_list" || break
	done
	echo "$p" >>"$free_port_list"
	echo "$p"
}
