/**
 * The Switchboard Java client: {@link dev.switchboard.client.Switchboard#connect} and the types around it, the wire
 * protocol's constants ({@code dev.switchboard.protocol}), and the admin client of the server API
 * ({@code dev.switchboard.admin}). The implementations ({@code dev.switchboard.client.impl},
 * {@code dev.switchboard.admin.impl}) are not exported.
 *
 * <p>Typed payloads are written and bound by Jackson databind. Public records and beans in a package your module
 * exports need nothing more; a type that is not public, or that Jackson must reach through non-public members,
 * needs its package opened to Jackson: {@code opens com.example.events to com.fasterxml.jackson.databind;}.
 */
module dev.switchboard.client {
  requires java.net.http;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.datatype.jsr310;
  requires com.fasterxml.jackson.datatype.jdk8;

  exports dev.switchboard.client;
  exports dev.switchboard.protocol;
  exports dev.switchboard.admin;
}
