# tests/api/94_notify_sweep.t — the notification worker reads the events since its last claim, and still fans out one whose transaction committed after a later one's
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;

my $u = new_user('sweep');
my $uid = psql("SELECT id FROM users WHERE public_id = '$u->{userId}'");
ok($uid, 'a user');

sub event_sql {
	my ($tag) = @_;
	return "INSERT INTO outbox (public_id, user_id, event_type, payload)"
	    . " VALUES (hzm_public_id('evt_'), $uid, 'kyc.approved',"
	    . " jsonb_build_object('kycId', 'kyc_sweep', 'level', 'LEVEL_1', 'tag', '$tag'))";
}
sub id_of {
	return psql("SELECT id FROM outbox WHERE user_id = $uid AND payload->>'tag' = '$_[0]'");
}
sub fanned_out {
	my ($id, $secs) = @_;
	my $until = time + $secs;
	while (time < $until) {
		return 1 if psql("SELECT count(*) FROM notify_fanout WHERE outbox_id = $id") eq '1';
		sleep 0.2;
	}
	return 0;
}

# An event committed at once is fanned out at once.
psql(event_sql('first'));
my $first = id_of('first');
ok(fanned_out($first, 10), "an event is fanned out ($first)");

# A transaction draws an event id, and commits 13 seconds later: by then
# an event with a higher id has been fanned out, and its own began too
# long ago for the claims that look below the mark.
my $t0 = time;
open(my $slow, '-|', "psql -X -At -q -U hzm -d hzm -h $ENV{HZM_VAR}/run/pg -c \"BEGIN; "
    . event_sql('slow') . "; SELECT pg_sleep(13); COMMIT;\" 2>&1") or die "psql: $!";
sleep 1;
psql(event_sql('after'));
my $after = id_of('after');
ok(fanned_out($after, 10), 'the event after it is fanned out while it waits');
close($slow);
my $late = id_of('slow');
ok($late && $late < $after, "it committed later with a lower id ($late < $after)");
is(psql("SELECT count(*) FROM notify_fanout WHERE outbox_id = $late"), '0',
    'not fanned out before it was committed');
# notify_sweep_seconds is 5 here (tests/api/run).
ok(fanned_out($late, 20), sprintf('the sweep fans it out (%.0f s after it began)', time - $t0));
is(psql("SELECT count(*) FROM notifications WHERE outbox_id = $late"), '1',
    'and its message is written, once');

done_testing();
