package io.headroom.cli.backtest;

/** Bad backtest input (a missing file, a bad price row, an impossible range): one line that names it. */
public final class BacktestException extends Exception {
    private static final long serialVersionUID = 1L;

    public BacktestException(String message) {
        super(message);
    }
}
