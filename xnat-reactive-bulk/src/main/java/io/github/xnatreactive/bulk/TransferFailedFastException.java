package io.github.xnatreactive.bulk;

import io.github.xnatreactive.core.XnatException;

/**
 * The error of a transfer stopped at its first failed file because fail-fast was on
 * ({@link TransferOptions#failFast(boolean)}); its cause is that file's failure and {@link #report()} tells what
 * had moved until then.
 *
 * <pre>{@code
 * TransferReport report = transfer.run()
 *         .onErrorResume(TransferFailedFastException.class, e -> Mono.just(e.report()))
 *         .block();
 * }</pre>
 */
public final class TransferFailedFastException extends XnatException {
    private static final long serialVersionUID = 1L;
    private final transient TransferReport report;

    /**
     * A stop after {@code cause}, with the report so far.
     *
     * @param report what the transfer did until it stopped
     * @param cause the failure of the file that stopped it
     */
    public TransferFailedFastException(TransferReport report, Throwable cause) {
        super("Transfer stopped at the first failure (fail-fast): " + cause.getMessage(), cause);
        this.report = report;
    }

    /**
     * What the transfer did until it stopped.
     *
     * @return the report so far (files moved, the failed file among the failures)
     */
    public TransferReport report() {
        return report;
    }
}
