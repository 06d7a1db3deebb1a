# tests/api/21_db_reconnect.t — after a PostgreSQL restart, the first transaction of every worker succeeds (refresh, admin login)
use strict;
use warnings;
use Test::More;
use JSON::PP;
use POSIX ();
use Hzm;

mc_flush();
my $W = 4;	# clients at once: more than lighttpd's workers per handler
my $tag = "rc$$";
my $seq = 0;

# Run the subs at once, each in its own process; their answers, in order.
sub at_once {
	my @subs = @_;
	my @kids;
	for my $i (0 .. $#subs) {
		my $f = "$ENV{HZM_VAR}/tmp/$tag.$i";
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			my $r = $subs[$i]->();
			open my $fh, '>', $f or POSIX::_exit(1);
			print $fh encode_json({ status => $r->{status}, json => $r->{json} });
			close $fh;
			POSIX::_exit(0);
		}
		push @kids, [$pid, $f];
	}
	my @res;
	for my $k (@kids) {
		waitpid($k->[0], 0);
		open my $fh, '<', $k->[1] or do { push @res, { status => 0 }; next };
		local $/;
		push @res, decode_json(<$fh>);
		unlink $k->[1];
	}
	return @res;
}

# Which processes of a handler served the requests whose ids start so.
sub served_by {
	my ($handler, $prefix) = @_;
	my %pids;
	open my $fh, '<', "$ENV{HZM_VAR}/log/hzm.log" or die "log: $!";
	while (my $line = <$fh>) {
		next unless index($line, "\"$prefix") >= 0;
		my $j = eval { decode_json($line) } or next;
		$pids{$j->{pid}}++ if ($j->{handler} // '') eq $handler
		    && ($j->{requestId} // '') =~ /^\Q$prefix\E/;
	}
	return \%pids;
}

sub rid { return { 'X-Request-ID' => "$tag-$_[0]-" . ++$seq } }

# Sessions to refresh and staff to log in, one per client.
my @users = map { new_user('reconnect') } 1 .. $W;
my @staff = map { staff('ADMIN') } 1 .. $W;

# Every process that will be tested holds a connection before the restart:
# refreshes (auth) and console reads (admin), several at once.
for my $round (1 .. 6) {
	my @r = at_once(map {
		my $u = $_;
		sub { my $r = api(POST => '/api/v1/auth/refresh', rid('warm'),
		    { refreshToken => $u->{refresh} }); $r }
	} @users);
	for my $i (0 .. $#users) {
		$users[$i]{refresh} = $r[$i]{json}{data}{refreshToken} // $users[$i]{refresh};
	}
	is(scalar(grep { $_->{status} == 200 } @r), $W, "warm-up round $round: refreshes");
	@r = at_once(map {
		my $s = $_;
		sub { api(GET => '/api/v1/admin/users?pageSize=1',
		    { %{ bearer($s->{token}) }, %{ rid('warm') } }) }
	} @staff);
	is(scalar(grep { $_->{status} == 200 } @r), $W, "warm-up round $round: console reads");
}
my $auth_warm = served_by('auth', "$tag-warm-");
my $admin_warm = served_by('admin', "$tag-warm-");
ok(scalar(keys %$auth_warm) >= 1, 'auth processes warmed: ' . join(',', sort keys %$auth_warm));
ok(scalar(keys %$admin_warm) >= 1, 'admin processes warmed: ' . join(',', sort keys %$admin_warm));

# The staff's codes of this step are used up (2FA enabling, their first
# login): let each take one more.
psql("UPDATE users SET totp_last_step = 0 WHERE email IN ("
    . join(',', map { "'$_->{email}'" } @staff) . ')');

is(pg_ctl('-m', 'fast', 'restart'), 0, 'PostgreSQL restarted');

# Refreshes until every warmed auth process has served one: each succeeds.
my ($refreshed, $tried) = (0, 0);
for my $round (1 .. 20) {
	my @r = at_once(map {
		my $u = $_;
		sub { api(POST => '/api/v1/auth/refresh', rid('after'),
		    { refreshToken => $u->{refresh} }) }
	} @users);
	for my $i (0 .. $#users) {
		$tried++;
		if ($r[$i]{status} == 200) {
			$refreshed++;
			$users[$i]{refresh} = $r[$i]{json}{data}{refreshToken};
		} else {
			diag("refresh after the restart: $r[$i]{status} "
			    . ($r[$i]{json}{error}{code} // ''));
		}
	}
	my $done = served_by('auth', "$tag-after-");
	last unless grep { !$done->{$_} } keys %$auth_warm;
}
is($refreshed, $tried, "every refresh after the restart succeeded ($tried)");
my $auth_after = served_by('auth', "$tag-after-");
is_deeply([grep { !$auth_after->{$_} } sort keys %$auth_warm], [],
    'every auth process served a refresh after the restart');

# One console login per staff member, all at once, each on its first try.
my @r = at_once(map {
	my $s = $_;
	sub { api(POST => '/api/v1/admin/auth/login', rid('after'),
	    { email => $s->{email}, password => $s->{password},
	      twoFactorCode => totp_code($s->{secret}) }) }
} @staff);
is(scalar(grep { $_->{status} == 200 } @r), $W, 'every admin login after the restart succeeded')
    or diag(join ' ', map { "$_->{status}:" . ($_->{json}{error}{code} // '') } @r);
# Processes those did not reach: a login refused for its password still
# opens the transaction first; it must be a 401, never a 503.
for my $round (1 .. 8) {
	my $done = served_by('admin', "$tag-after-");
	last unless grep { !$done->{$_} } keys %$admin_warm;
	@r = at_once(map {
		my $n = $_;
		sub { api(POST => '/api/v1/admin/auth/login', rid('after'),
		    { email => unique_email("nobody$n"), password => 'wrong-password' }) }
	} 1 .. $W);
	is(scalar(grep { $_->{status} == 401 } @r), $W, "admin round $round: refused for the password, not 503")
	    or diag(join ' ', map { $_->{status} } @r);
}
my $admin_after = served_by('admin', "$tag-after-");
is_deeply([grep { !$admin_after->{$_} } sort keys %$admin_warm], [],
    'every admin process served a login after the restart');

# Nothing else suffered either.
my $r = api(GET => '/api/v1/system/health');
is($r->{status}, 200, 'health after the restart');
mc_flush();

done_testing;
