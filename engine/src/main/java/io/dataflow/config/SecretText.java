package io.dataflow.config;

import com.fasterxml.jackson.databind.node.TextNode;

/**
 * A text value of the pipeline file that no message may print: it came from a {@code ${env:}} or {@code ${file:}}
 * reference, or it stands under a secret-bearing key ({@link Values#isSecretKey}). It reads like any other text.
 */
final class SecretText extends TextNode {
    private static final long serialVersionUID = 1L;

    SecretText(String value) {
        super(value);
    }
}
