package io.github.xnatreactive.testkit;

/**
 * A processing request that reached the server: XNAT's {@code PUT {experiment}?triggerPipelines=true},
 * {@code fixScanTypes=true} or {@code pullDataFromHeaders=true} (or the same names in {@code action=}). The testkit
 * runs no pipeline and reads no header again; it records what arrived, in order, so that a test can check it:
 *
 * <pre>{@code
 * session.triggerPipelines().block();
 * List<Trigger> arrived = server.triggers(); // one Trigger: triggerPipelines, the session's ID, project, login
 * }</pre>
 *
 * @param name {@code triggerPipelines}, {@code fixScanTypes} or {@code pullDataFromHeaders}
 * @param experimentId the experiment's accession ID
 * @param project the experiment's own project
 * @param user the login that sent it
 */
public record Trigger(String name, String experimentId, String project, String user) {}
