# tests/api/12_local_access.t — PostgreSQL and memcached answer the stack's own users only, never another local user
use strict;
use warnings;
use Test::More;
use Hzm;

plan skip_all => 'acting as other local users needs root' unless $> == 0;

my $var = $ENV{HZM_VAR};
my $pgsock = "$var/run/pg";
my $web_user = 'www-data';
my $web_group = getgrgid((getpwnam($web_user))[3]);

# Run a command as another user (and group); its output and exit status.
sub as_user {
	my ($user, $group, @cmd) = @_;
	my @g = defined $group ? ('-g', $group) : ();
	my $pid = open(my $fh, '-|') // die "fork: $!";
	if ($pid == 0) {
		open STDERR, '>&', \*STDOUT;
		exec('runuser', '-u', $user, @g, '--', @cmd) or exit 127;
	}
	local $/;
	my $out = <$fh> // '';
	close $fh;
	return ($out, $? >> 8);
}

sub psql_as {
	my ($user, $group, $role) = @_;
	return as_user($user, $group, 'psql', '-X', '-At', '-h', $pgsock, '-p', '5432',
	    '-U', $role, '-d', 'hzm', '-c', 'SELECT current_user');
}

# ---- PostgreSQL ----------------------------------------------------------------

is(psql('SELECT current_user'), 'hzm', 'the stack (tests, matcher, cron) connects as hzm');
is(psql_owner('SELECT current_user'), 'hzm_owner', 'and may connect as hzm_owner (migrations, make psql)');
my ($out, $rc) = psql_as($web_user, undef, 'hzm');
is($rc, 0, "$web_user (the handlers) connects as hzm") or diag($out);
like($out, qr/^hzm$/m, '  and is hzm');
for my $role ('hzm_owner', 'postgres') {
	($out, $rc) = psql_as($web_user, undef, $role);
	isnt($rc, 0, "$web_user cannot be $role");
	like($out, qr/Peer authentication failed/, '  refused by peer authentication') or diag($out);
}

for my $role ('hzm', 'hzm_owner', 'postgres') {
	($out, $rc) = psql_as('nobody', undef, $role);
	isnt($rc, 0, "nobody cannot connect as $role");
	like($out, qr/Permission denied/, '  the socket directory keeps it out') or diag($out);
}
# Even past the directory (given the stack's group), authentication refuses.
for my $role ('hzm', 'hzm_owner', 'postgres') {
	($out, $rc) = psql_as('nobody', $web_group, $role);
	isnt($rc, 0, "nobody with group $web_group cannot connect as $role");
	like($out, qr/Peer authentication failed/, '  refused by peer authentication') or diag($out);
}
is(psql('SHOW listen_addresses'), '', 'no TCP listener');
is(psql('SHOW unix_socket_permissions'), '0770', 'socket mode 0770');
my @st = stat "$pgsock/.s.PGSQL.5432";
is($st[2] & 07, 0, 'the socket grants others nothing');
@st = stat $pgsock;
is($st[2] & 07, 0, 'nor does its directory');

# ---- memcached -------------------------------------------------------------------

my $mc = mc_socket();
my $talk = 'use IO::Socket::UNIX; my $s = IO::Socket::UNIX->new(Peer => shift)'
    . ' or die "refused: $!\n"; print $s "version\r\n"; print scalar <$s>';
($out, $rc) = as_user('nobody', undef, 'perl', '-e', $talk, $mc);
isnt($rc, 0, 'nobody cannot connect to memcached');
like($out, qr/refused: Permission denied/, '  permission denied') or diag($out);
($out, $rc) = as_user($web_user, undef, 'perl', '-e', $talk, $mc);
is($rc, 0, "$web_user (the handlers) can") or diag($out);
like($out, qr/^VERSION /, '  and talks to it');
ok(mc_flush(), 'the stack (tests, matcher, cron) can');
@st = stat $mc;
is($st[2] & 07, 0, 'the memcached socket grants others nothing');

# memcached has no network socket at all: none of its descriptors is a
# TCP or UDP socket.
open my $pf, '<', "$var/run/memcached.pid" or die "memcached pid: $!";
chomp(my $mcpid = <$pf>);
my %inode;
for my $fd (glob "/proc/$mcpid/fd/*") {
	my $l = readlink $fd // next;
	$inode{$1} = 1 if $l =~ /^socket:\[(\d+)\]$/;
}
ok(scalar keys %inode, "memcached ($mcpid) has sockets");
my @net;
for my $t (qw(tcp tcp6 udp udp6)) {
	open my $fh, '<', "/proc/net/$t" or next;
	while (<$fh>) {
		my @f = split;
		push @net, "$t $f[1]" if defined $f[9] && $inode{$f[9]};
	}
}
is_deeply(\@net, [], 'none of them is TCP or UDP');

# The stack itself is unaffected.
my $r = api(GET => '/api/v1/system/health');
is($r->{status}, 200, 'health: database and memcached reachable by the handlers');
is($r->{json}{data}{memcached}, 'up', '  memcached up');

done_testing;
