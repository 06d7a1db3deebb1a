/* domain/risk.h — the rules engine for withdrawals and large deposits: a score of 0-100 from named, explained factors */
#ifndef HZM_RISK_H
#define HZM_RISK_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct ctx;
struct json_object;

/* TRY amounts here are integers of kuruş (TRY's precision, 2). */
#define RISK_TRY_SCALE	2

enum risk_factor {
	RISK_BLACKLISTED,	/* the address is on the blacklist */
	RISK_OVER_DAILY_LIMIT,	/* it takes the last 24 hours past the daily limit */
	RISK_VERY_LARGE_AMOUNT,	/* worth more than the two-approver threshold */
	RISK_LARGE_AMOUNT,	/* worth more than the approval threshold */
	RISK_STRUCTURING,	/* several deposits lately, then most of it out */
	RISK_QUICK_TURNAROUND,	/* a deposit within hours, then much of it out */
	RISK_UNUSUAL_AMOUNT,	/* many times the user's largest withdrawal */
	RISK_SHARED_ADDRESS,	/* other users withdraw to the same address */
	RISK_OPEN_ALERTS,	/* the user has unsettled HIGH/CRITICAL alerts */
	RISK_NEW_ACCOUNT,	/* the account is young */
	RISK_EXCHANGE_ADDRESS,	/* the address is one of our deposit addresses */
	RISK_VELOCITY,		/* several withdrawals in the last 24 hours */
	RISK_FIRST_WITHDRAWAL,	/* none before */
	RISK_NEW_ADDRESS,	/* never paid before, by a user who has withdrawn */
	RISK_NO_PRICE,		/* the asset has no TRY price: worth unknown */
	/* deposits (risk_score_deposit()) */
	RISK_DEP_STRUCTURING,	/* several deposits just under the review threshold */
	RISK_DEP_TURNOVER,	/* what came in lately went out again at once */
	RISK_DEP_VERY_LARGE,	/* ten times the review threshold or more */
	RISK_DEP_LARGE,		/* at least the review threshold */
	RISK_DEP_UNUSUAL,	/* many times the user's largest deposit */
	RISK_DEP_FIRST,		/* the user's first deposit */
	RISK__COUNT
};

/* The thresholds, from settings (risk_load_rules names each). */
struct risk_rules {
	int64_t		 approval_try;		/* withdraw_approval_try */
	int64_t		 dual_try;		/* withdraw_dual_approval_try */
	int		 score_medium;		/* risk_score_medium */
	int		 score_high;		/* risk_score_high */
	int		 score_critical;	/* risk_score_critical */
	long		 new_account_days;	/* risk_new_account_days */
	long		 unusual_multiple;	/* risk_unusual_multiple */
	long		 structuring_hours;	/* risk_structuring_hours */
	long		 structuring_deposits;	/* risk_structuring_deposits */
	long		 structuring_pct;	/* risk_structuring_pct */
	long		 quick_hours;		/* risk_quick_hours */
	long		 quick_pct;		/* risk_quick_pct */
	long		 velocity_count;	/* risk_velocity_count */
	int64_t		 deposit_review_try;	/* deposit_review_try */
	long		 deposit_near_pct;	/* deposit_structuring_pct */
	long		 deposit_hours;		/* deposit_structuring_hours */
};

/* What is known of a deposit and its user when it is credited. */
struct risk_deposit_facts {
	int64_t		 value;			/* its worth in TRY */
	long		 account_age_days;
	long		 prior_deposits;	/* credited before it, ever */
	int64_t		 largest_prior;		/* TRY, the largest of them */
	/* in the deposit_hours before it: deposits and their worth, and
	 * withdrawals requested (not rejected or failed) and theirs */
	long		 window_deposits;
	int64_t		 window_in;
	int64_t		 window_out;
	/* deposits in that window just under the threshold, this one too */
	long		 near_deposits;
	long		 open_alerts;
};

/* What is known of a withdrawal and its user when it is requested. */
struct risk_facts {
	int		 priced;		/* value is known */
	int64_t		 value;			/* the amount's worth in TRY */
	int64_t		 daily_limit;		/* TRY, the user's */
	int64_t		 used_day;		/* TRY, the last 24 hours before this */
	long		 account_age_days;
	long		 prior_withdrawals;	/* not rejected or failed, ever */
	int64_t		 largest_prior;		/* TRY, the largest completed one; 0 none */
	long		 address_paid_before;	/* this user's completed ones to it */
	long		 address_other_users;	/* other users withdrawing to it */
	int		 exchange_address;	/* a deposit address of ours */
	long		 structuring_count;	/* deposits in the structuring window */
	int64_t		 structuring_value;	/* their worth in TRY */
	long		 quick_count;		/* deposits in the quick window */
	int64_t		 quick_value;
	long		 withdrawals_day;	/* earlier ones in the last 24 hours */
	long		 open_alerts;
	int		 blacklisted;
};

struct risk_hit {
	enum risk_factor f;
	int		 points;
	char		 detail[192];
};

struct risk_result {
	int		 score;			/* 0..100 */
	const char	*severity;		/* LOW, MEDIUM, HIGH, CRITICAL */
	size_t		 nhits;
	struct risk_hit	 hits[RISK__COUNT];	/* highest points first */
};

/* The thresholds from settings, with their defaults. */
void		 risk_load_rules(struct risk_rules *);
/* Score facts under rules: pure. */
void		 risk_score(const struct risk_rules *, const struct risk_facts *,
		    struct risk_result *);
/*
 * Score a deposit: whether it is looked at at all is risk_deposit_scored().
 * Pure, as risk_score().
 */
void		 risk_score_deposit(const struct risk_rules *,
		    const struct risk_deposit_facts *, struct risk_result *);
/*
 * 1 when a deposit worth value (TRY) is scored: at least the review
 * threshold, or just under it (deposit_structuring_pct of it).
 */
int		 risk_deposit_scored(const struct risk_rules *, int64_t value);
const char	*risk_severity(const struct risk_rules *, int score);
const char	*risk_factor_name(enum risk_factor);
/* The alert type (Appendix C) of the factor that weighs most, or NULL. */
const char	*risk_alert_type(const struct risk_result *);
/* [{factor, points, detail}], highest first. */
struct json_object *risk_factors_json(const struct risk_result *);

/*
 * The facts about user_id (internal id, text) withdrawing to address on
 * network, from the database, for the rules' windows; the caller has
 * filled the value, the limit and what is used, and the blacklist check.
 */
enum err	 risk_facts_load(struct ctx *, const struct risk_rules *,
		    const char *user_id, const char *network, const char *address,
		    struct risk_facts *);

#endif
