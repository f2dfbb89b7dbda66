package dev.switchboard.broker.auth;

import dev.switchboard.broker.security.SecurityOptions;
import dev.switchboard.broker.testing.Tokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {
  private static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @Test
  void hs256() throws Exception {
    Tokens tokens = Tokens.hs256(vertx, "a-secret-of-some-length-0123456789");
    Path secret = Files.writeString(dir.resolve("secret"), "a-secret-of-some-length-0123456789\n");
    TokenVerifier verifier = verifier(new SecurityOptions().authSecretFile(secret.toString()));
    TokenVerifier.Identity id = ok(verifier, tokens.token("alice", List.of("chat.>"), List.of("news.*"), 60));
    assertThat(id.user()).isEqualTo("alice");
    assertThat(id.grants().mayPublish("chat.x")).isTrue();
    assertThat(id.grants().maySubscribe("news.eu")).isTrue();
    assertThat(id.grants().maySubscribe("chat.x")).isFalse();
    assertThat(id.expiresAtMs()).isGreaterThan(System.currentTimeMillis());
    Tokens other = Tokens.hs256(vertx, "another-secret-of-some-length-012345");
    assertThat(refused(verifier, other.token("alice", List.of(), List.of(), 60)).expired).isFalse();
  }

  @Test
  void rs256AndEs256WithAPublicKey() throws Exception {
    for (Tokens tokens : List.of(Tokens.rs256(vertx), Tokens.es256(vertx))) {
      TokenVerifier verifier = verifier(new SecurityOptions().authAlgorithm(tokens.algorithm)
          .authPublicKeyFile(tokens.keyFile(dir).toString()));
      assertThat(ok(verifier, tokens.token("bob", List.of(), List.of(">"), 60)).user()).isEqualTo("bob");
      Tokens stranger = tokens.algorithm.equals("RS256") ? Tokens.rs256(vertx) : Tokens.es256(vertx);
      assertThat(refused(verifier, stranger.token("bob", List.of(), List.of(">"), 60)).expired).isFalse();
    }
  }

  @Test
  void expiredIsToldFromInvalid() throws Exception {
    Tokens tokens = Tokens.hs256(vertx, "a-secret-of-some-length-0123456789");
    TokenVerifier verifier = verifier(new SecurityOptions()
        .authSecretFile(Files.writeString(dir.resolve("s"), "a-secret-of-some-length-0123456789").toString()));
    assertThat(refused(verifier, tokens.token("alice", List.of(), List.of(), -5)).expired).isTrue();
    String good = tokens.token("alice", List.of(), List.of(), 60);
    String[] parts = good.split("\\.");
    String unsigned = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    assertThat(refused(verifier, unsigned).expired).isFalse();
    String tampered = parts[0] + "." + b64("{\"sub\":\"mallory\",\"subscribe\":[\">\"]}") + "." + parts[2];
    assertThat(refused(verifier, tampered).expired).isFalse();
    for (String junk : List.of("", "x", "a.b.c", "....", "\u0000", "e30.e30.e30", "x".repeat(20_000))) {
      assertThat(refused(verifier, junk).expired).as(junk.length() > 20 ? "long" : junk).isFalse();
    }
    assertThat(refused(verifier, tokens.sign(new JsonObject().put("subscribe", new JsonArray().add(">"))))
        .getMessage()).contains("sub");
  }

  @Test
  void issuerAudienceAndClaimNamesAreConfigurable() throws Exception {
    Tokens tokens = Tokens.hs256(vertx, "a-secret-of-some-length-0123456789");
    TokenVerifier verifier = verifier(new SecurityOptions().authIssuer("idp").authAudience("switchboard")
        .userClaim("uid").publishClaim("pub").subscribeClaim("sub_topics")
        .authSecretFile(Files.writeString(dir.resolve("s"), "a-secret-of-some-length-0123456789").toString()));
    JsonObject claims = new JsonObject().put("uid", "carol").put("pub", "a.b").put("sub_topics", new JsonArray()
        .add("x.>").add("bad..pattern").add(7)).put("iss", "idp").put("aud", "switchboard");
    TokenVerifier.Identity id = ok(verifier, tokens.sign(claims));
    assertThat(id.user()).isEqualTo("carol");
    assertThat(id.expiresAtMs()).isEqualTo(Long.MAX_VALUE);
    assertThat(id.grants().publish()).containsExactly("a.b");
    assertThat(id.grants().subscribe()).containsExactly("x.>");
    assertThat(refused(verifier, tokens.sign(claims.copy().put("iss", "other"))).expired).isFalse();
    assertThat(refused(verifier, tokens.sign(claims.copy().put("aud", "other"))).expired).isFalse();
  }

  @Test
  void anUnusableKeyNamesTheSetting() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not a key\n");
    assertThatThrownBy(() -> verifier(new SecurityOptions().authAlgorithm("RS256").authPublicKeyFile(junk.toString())))
        .hasMessageStartingWith("auth-public-key-file:");
  }

  private TokenVerifier verifier(SecurityOptions options) {
    return TokenVerifier.create(vertx, options.auth(SecurityOptions.AUTH_REQUIRED));
  }

  private static TokenVerifier.Identity ok(TokenVerifier verifier, String token) throws Exception {
    return await(verifier.verify(token, System.currentTimeMillis()));
  }

  private static TokenVerifier.Refused refused(TokenVerifier verifier, String token) throws Exception {
    Future<TokenVerifier.Identity> result = verifier.verify(token, System.currentTimeMillis());
    try {
      await(result);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(TokenVerifier.Refused.class);
      return (TokenVerifier.Refused) e.getCause();
    }
    throw new AssertionError("token accepted: " + token);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
