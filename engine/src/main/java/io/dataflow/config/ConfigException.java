package io.dataflow.config;

/** A pipeline file that cannot be used; the message is one line naming the key, the value and what is allowed. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
