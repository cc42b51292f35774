package io.dataflow.config;

import java.util.Properties;

/** Driver properties every DataFlow connection starts from: the user, and the password unless it is empty. */
public final class JdbcProperties {
    private JdbcProperties() {}

    public static Properties credentials(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        return p;
    }
}
