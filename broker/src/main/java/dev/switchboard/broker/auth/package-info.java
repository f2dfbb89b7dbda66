/**
 * Who a client is and what it may do: token verification ({@link dev.switchboard.broker.auth.TokenVerifier}), grants
 * and admission of subscribes and publishes ({@link dev.switchboard.broker.auth.Access},
 * {@link dev.switchboard.broker.auth.Admission}), rates, connection slots per node and per user, and the count of
 * refusals ({@link dev.switchboard.broker.auth.Security}). Uses the public options only.
 */
package dev.switchboard.broker.auth;
