package io.github.xnatreactive.core;

import java.util.Objects;

/**
 * A user for a site administrator to create with {@link Users#create(NewUser)}. {@link #toString()} never shows the
 * password.
 *
 * @param login the login; non-empty, without {@code :} or {@code /}
 * @param password the initial password; non-empty
 * @param firstname the first name
 * @param lastname the last name
 * @param email the e-mail address
 */
public record NewUser(String login, String password, String firstname, String lastname, String email) {
    /**
     * Checks the values.
     *
     * @param login the login; non-empty, without {@code :} or {@code /}
     * @param password the initial password; non-empty
     * @param firstname the first name
     * @param lastname the last name
     * @param email the e-mail address
     * @throws IllegalArgumentException for an empty or malformed login or an empty password
     * @throws NullPointerException when a value is null
     */
    public NewUser {
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(firstname, "firstname");
        Objects.requireNonNull(lastname, "lastname");
        Objects.requireNonNull(email, "email");
        if (login.isEmpty() || login.contains(":") || login.contains("/")) {
            throw new IllegalArgumentException("A login must be non-empty, without ':' or '/'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("A new user needs a password");
        }
    }

    @Override
    public String toString() {
        return "NewUser[" + login + ", " + firstname + " " + lastname + ", " + email + "]";
    }
}
