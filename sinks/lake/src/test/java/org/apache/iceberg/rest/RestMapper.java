package org.apache.iceberg.rest;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Test access to the JSON mapper Iceberg's REST client uses, so the test server reads and writes exactly its format. */
public final class RestMapper {
    private RestMapper() {}

    public static ObjectMapper mapper() {
        return RESTObjectMapper.mapper();
    }
}
