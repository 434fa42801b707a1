/**
 * How long a console session lasts: 7 days without a visit, renewed (a fresh cookie with
 * a fresh expiry) at most once a day while the account is active, so a user who comes
 * back every few days stays signed in and a cookie that leaked stops working within a
 * week even if nobody signs out. Sign-out ends it at once (session-epoch.ts).
 */
export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
export const SESSION_RENEW_AFTER_SECONDS = 24 * 60 * 60;
