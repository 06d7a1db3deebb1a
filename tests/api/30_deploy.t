# tests/api/30_deploy.t — swap one handler under load: no request to it or to the others fails
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

done_testing;
