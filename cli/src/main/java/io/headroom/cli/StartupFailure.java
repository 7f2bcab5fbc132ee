package io.headroom.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns the failures an operator causes and can fix (a missing or unreadable file, a port already
 * taken) into one line that says what and where, instead of a stack trace. Anything else is a bug
 * and keeps its stack trace.
 */
final class StartupFailure implements IExecutionExceptionHandler {
    /** Exit code for an environment problem: a file or port the command needs is not available. */
    static final int EXIT_CODE = 1;

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) throws Exception {
        String prefix = "headroom " + command.getCommandName() + ": ";
        PrintWriter err = command.getErr();
        if (failure instanceof NoSuchFileException missing) {
            err.println(prefix + "no such file: " + missing.getFile());
        } else if (failure instanceof AccessDeniedException denied) {
            err.println(prefix + "permission denied: " + denied.getFile());
        } else if (failure instanceof IOException io) {
            err.println(prefix + describe(io));
        } else {
            throw failure; // picocli prints it with its stack trace and exits with 1
        }
        err.flush();
        return EXIT_CODE;
    }

    /** The message, and the message of each cause it does not already contain. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(message(failure));
        for (Throwable cause = failure.getCause();
                cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            String more = message(cause);
            if (text.indexOf(more) < 0) {
                text.append(": ").append(more);
            }
        }
        return text.toString();
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
