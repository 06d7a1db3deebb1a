# tests/api/30_deploy.t — swap one handler under load, kill one of its workers, then its master: no request to it or to the others fails, and the pool comes back
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;

my @paths = ('/api/v1/public/time', '/api/v1/markets', '/api/v1/system/health');
my $bin = "$ENV{HZM_VAR}/bin/public.fcgi";
my $old_ino = (stat $bin)[1];
my @old = handler_pids('public');
ok(@old > 0, 'public.fcgi is running');

# The pool's master: the process of that binary whose parent is not one.
# Under lighttpd it is the child of scripts/supervise, which lighttpd
# spawns on the handler's socket; under Apache scripts/pools starts it
# (spawn-fcgi) on its own socket under a supervisor whose pid it keeps.
sub pool_master {
	my @m = grep { my $pp = ppid($_); !grep { $_ == $pp } @_ } @_;
	return @m == 1 ? $m[0] : undef;
}
sub ppid {
	open my $fh, '<', "/proc/$_[0]/status" or return 0;
	while (my $l = <$fh>) { return $1 + 0 if $l =~ /^PPid:\s+(\d+)/ }
	return 0;
}
sub workers_of { my ($m, @p) = @_; return grep { ppid($_) == $m } @p }
my $master = pool_master(@old);
ok($master, 'one master for the pool');
my @old_workers = workers_of($master, @old);
ok(@old_workers >= 1, scalar(@old_workers) . ' workers under it');
if (web() eq 'apache') {
	my $sock = "$ENV{HZM_VAR}/run/fcgi/public.sock";
	ok(-S $sock, 'Apache reaches the pool on its own socket');
	is(sprintf('%04o', (stat $sock)[2] & 07777), $> == 0 ? '0660' : '0600',
	    '  which only the web server\'s user and group may open');
	open my $pf, '<', "$ENV{HZM_VAR}/run/fcgi-public.pid" or die;
	is(ppid($master), 0 + <$pf>, '  and the stack knows the supervisor that keeps its master');
	ok(!grep({ /fcgid/i } do { local @ARGV = ("$ENV{HZM_VAR}/apache2.conf"); <> }),
	    'no mod_fcgid in the configuration');
}

# Four clients hammer three handlers while public is deployed twice.
my $stop = time + 4;
my @kids;
for my $c (1 .. 4) {
	pipe(my $rd, my $wr) or die;
	my $pid = fork // die;
	if ($pid == 0) {
		close $rd;
		my ($n, $bad, $i) = (0, 0, $c);
		my $first = '';
		while (time < $stop) {
			my $p = $paths[$i++ % @paths];
			my $r = api(GET => $p);
			$n++;
			if ($r->{status} != 200 || !$r->{json} || !$r->{json}{success}) {
				$bad++;
				$first ||= "$p: $r->{status} " . substr($r->{body}, 0, 120);
			}
		}
		print $wr "$n $bad $first\n";
		exit 0;
	}
	close $wr;
	push @kids, [$pid, $rd];
}
sleep 1;
is(stack('deploy', 'public'), 0, 'deploy public (1)');
sleep 1;
is(stack('deploy', 'public'), 0, 'deploy public (2)');

my ($total, $failed) = (0, 0);
for my $k (@kids) {
	my $fh = $k->[1];
	my $line = <$fh> // '0 1 client died';
	waitpid $k->[0], 0;
	chomp $line;
	my ($n, $bad, $first) = split / /, $line, 3;
	$total += $n;
	$failed += $bad;
	diag("client: $first") if $bad;
}
ok($total > 100, "$total requests made during the deploys");
is($failed, 0, 'none failed');

# The running processes now execute the new file.
my $new_ino = (stat $bin)[1];
isnt($new_ino, $old_ino, 'a new binary was installed');
my @new;
for (1 .. 50) {
	api(GET => '/api/v1/public/time');
	@new = handler_pids('public');
	my @stale = grep { (stat "/proc/$_/exe")[1] != $new_ino } @new;
	last if @new && !@stale;
	sleep 0.1;
}
ok(@new > 0, 'public.fcgi runs after the deploy');
my @stale = grep { (stat "/proc/$_/exe")[1] != $new_ino } @new;
is(scalar @stale, 0, 'no process runs the old binary any more');
my $r = api(GET => '/api/v1/public/time');
is($r->{status}, 200, 'and it serves');
is(pool_master(@new), $master, 'the master re-executed itself in place (same pid)');
my @new_workers = workers_of($master, @new);
is(scalar @new_workers, scalar @old_workers, 'with as many workers as before');
my %was = map { $_ => 1 } @old_workers;
is(scalar(grep { $was{$_} } @new_workers), 0, '  all of them new processes');

# A worker killed outright is replaced, and the pool keeps serving.
my $victim = $new_workers[0];
ok(kill('KILL', $victim), "worker $victim killed with SIGKILL");
my ($served, $errs) = (0, 0);
my @after;
for (1 .. 100) {
	$r = api(GET => '/api/v1/public/time');
	$r->{status} == 200 ? $served++ : $errs++;
	@after = workers_of($master, handler_pids('public'));
	last if $served >= 20 && @after == @new_workers;
	sleep 0.05;
}
is($errs, 0, "no request failed meanwhile ($served served)");
is(scalar @after, scalar @new_workers, 'the pool is back to its size');
ok(!grep({ $_ == $victim } @after), '  without the killed worker');

# The master killed outright. Its supervisor (under Apache the one
# scripts/pools starts, under lighttpd the one lighttpd spawns on the
# handler's socket) starts a new pool within seconds, at full size, once
# the dead master's workers (which follow it) have finished their
# requests; no orphan goes on serving the old binary.
my $sup = ppid($master);
if (web() eq 'apache') {
	open my $pf, '<', "$ENV{HZM_VAR}/run/fcgi-public.pid" or die;
	is($sup, 0 + <$pf>, 'the master runs under the supervisor the stack knows');
} else {
	open my $cf, '<', "/proc/$sup/cmdline" or die;
	like(join(' ', split /\0/, <$cf>), qr{/bin/supervise \S+/public\.fcgi$},
	    'the master runs under the supervisor lighttpd spawned');
}
ok(kill('KILL', $master), "master $master killed with SIGKILL");
my ($back, $gone, $m2) = (0, 0);
for (1 .. 150) {
	sleep 0.1;
	$r = api(GET => '/api/v1/public/time');
	my @now = handler_pids('public');
	$gone = !grep({ my $p = $_; grep { $_ == $p } @new_workers } @now);
	$m2 = pool_master(@now);
	next unless $gone && $m2 && $m2 != $master &&
	    workers_of($m2, @now) == @new_workers;
	$back = $r->{status} == 200 ? $back + 1 : 0;
	last if $back >= 3;
}
ok($gone, 'the dead master\'s workers are gone');
ok($m2 && $m2 != $master, 'a new master runs (' . ($m2 // 'none') . ')');
is(scalar(workers_of($m2 // 0, handler_pids('public'))),
    scalar @new_workers, '  with the pool\'s size of workers');
is($back, 3, '  and the handler serves again');
is(ppid($m2 // 0), $sup, '  under the same supervisor');

done_testing;
