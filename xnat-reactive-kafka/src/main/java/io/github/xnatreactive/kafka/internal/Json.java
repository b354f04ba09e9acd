package io.github.xnatreactive.kafka.internal;

import io.github.xnatreactive.kafka.DeadLetter;
import io.github.xnatreactive.kafka.MigrationTask;
import io.github.xnatreactive.kafka.SessionResult;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** The JSON of the migration's records: tasks, results and dead letters, one object per record value. */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {}

    public static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** The task of a work record; a value that is not one is a {@link tools.jackson.core.JacksonException}. */
    public static MigrationTask task(String value) {
        return MAPPER.readValue(value, MigrationTask.class);
    }

    public static SessionResult result(String value) {
        return MAPPER.readValue(value, SessionResult.class);
    }

    public static DeadLetter deadLetter(String value) {
        return MAPPER.readValue(value, DeadLetter.class);
    }
}
