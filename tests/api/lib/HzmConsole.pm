# tests/api/lib/HzmConsole.pm — runs a browser script (tests/node/*.mjs: the console, the docs pages, the settings page): its checks become tests, its questions ("ask NAME ARG...") are answered by the test's subs
package HzmConsole;
use strict;
use warnings;
use Exporter 'import';
use IPC::Open2;
use Test::More;
use Hzm;

our @EXPORT = qw(console_ready console_run);

# Skip unless Chromium and playwright-core are there (make deps).
sub console_ready {
	my $root = $ENV{HZM_ROOT};
	my $chromium = $ENV{CHROMIUM} // '/usr/bin/chromium';
	plan skip_all => 'chromium is not installed (make deps)' unless -x $chromium;
	plan skip_all => 'playwright-core is not installed (make deps)'
	    unless -d "$root/tests/node/node_modules/playwright-core";
	plan skip_all => 'lightweight-charts is not installed (make deps)'
	    unless -f "$root/www/console/vendor/lightweight-charts.js";
	return $chromium;
}

# console_run(script, {ENV => value}, {question => sub (args) -> answer}):
# the number of checks the script printed; its exit status is a test too.
sub console_run {
	my ($script, $env, $answers) = @_;
	my ($name) = $script =~ m{([^/]+)\.mjs$};
	local $ENV{HZM_BASE} = base_url();
	local $ENV{CHROMIUM} = $ENV{CHROMIUM} // '/usr/bin/chromium';
	# In the stack directory (kept when a test fails, or with HZM_KEEP=1), or under HZM_CONSOLE_SHOTS.
	local $ENV{HZM_SHOTS} = ($ENV{HZM_CONSOLE_SHOTS} // "$ENV{HZM_VAR}/screenshots") . "/$name-" . web();
	local @ENV{ keys %$env } = values %$env;
	my $pid = open2(my $out, my $in, 'node', "$ENV{HZM_ROOT}/tests/node/$script")
	    or die "node: $!";
	binmode $out, ':encoding(UTF-8)';
	$in->autoflush(1);
	my $n = 0;
	while (my $line = <$out>) {
		chomp $line;
		if ($line =~ /^(not )?ok - (.*?)(?: # (.*))?$/) {
			$n++;
			ok(!$1, "browser: $2") or diag($3 // '');
		} elsif ($line =~ /^ask (\S+)\s*(.*)$/) {
			my $f = $answers->{$1};
			my $a = $f ? eval { $f->(split ' ', $2) } : undef;
			diag("ask $1: $@") if $@;
			$a //= '';
			$a =~ s/\n/ /g;
			print $in "$a\n";
		} else {
			note($line);
		}
	}
	close $in;
	waitpid($pid, 0);
	is($? >> 8, 0, "$script exits 0");
	note("screenshots: $ENV{HZM_SHOTS}");
	return $n;
}

1;
