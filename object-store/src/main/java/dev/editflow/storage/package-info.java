/** Our S3 bucket: client, presigner, health and the naming of objects. */
@NullMarked
package dev.editflow.storage;

import org.jspecify.annotations.NullMarked;
