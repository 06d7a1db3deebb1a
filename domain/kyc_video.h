/* domain/kyc_video.h — LEVEL_3 (enhanced): the video-call review staff record on an approved application */
#ifndef HZM_KYC_VIDEO_H
#define HZM_KYC_VIDEO_H

#include "core/err.h"

struct ctx;

struct kyc_video_out {
	char	 user_public_id[32];
	char	 email[256];
	char	 status[24];		/* ERR_CONFLICT: the application's status */
	char	 reviewed_at[32];
	int	 app_level;		/* ERR_CONFLICT: the level it was approved at */
	int	 user_level;		/* the user's level now */
};

/*
 * Record the actor's video call with the person of application kyc_id,
 * PASSED or FAILED (note: the reviewer's words, never shown to the user),
 * in one transaction with its audit row. PASSED raises the application
 * and the user to LEVEL_3 (with its limits, kyc_level_limits) and writes
 * kyc.approved. The application must be APPROVED at LEVEL_2 or above:
 * else ERR_CONFLICT (out->status, out->app_level); ERR_NOT_FOUND;
 * ERR_FORBIDDEN for the reviewer's own application.
 */
enum err	 kyc_video_review(struct ctx *, const char *kyc_id, int passed,
		    const char *note, struct kyc_video_out *);

#endif
