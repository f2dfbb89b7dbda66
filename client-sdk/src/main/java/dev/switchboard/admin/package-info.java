/**
 * The admin client of Switchboard's server API ({@code /api/v1/} on a node started with {@code --api-key-file}):
 * {@link dev.switchboard.admin.SwitchboardAdmin#create} and the values its calls complete with. For an application's
 * backends: publish and broadcast, read history, disconnect or unsubscribe a user's connections on every node, and
 * read the cluster's state and presence, over HTTP with an API key. Every call returns a
 * {@link java.util.concurrent.CompletableFuture}; a refusal fails it with an
 * {@link dev.switchboard.admin.AdminException} carrying the HTTP status and the error code.
 */
package dev.switchboard.admin;
