package io.eqntk;

/**
 * An error caused by the user's input (a file, an argument, an architecture string), not by a bug.
 * Its message is one line that names what is wrong; the command line prints it and exits with code 2.
 */
public class EqntkException extends RuntimeException {
    public EqntkException(String message) {
        super(message);
    }

    public EqntkException(String message, Throwable cause) {
        super(message, cause);
    }
}
