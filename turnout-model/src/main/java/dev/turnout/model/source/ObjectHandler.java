package dev.turnout.model.source;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Receives the objects of one kind as informer events: adds, updates, deletes, and once the
 * initial list has been delivered, {@link #onSynced()}. Every method has a no-op default, so a
 * handler implements only what it needs.
 */
public interface ObjectHandler<T extends HasMetadata> {
    default void onAdd(T o) {
    }

    default void onUpdate(T old, T cur) {
    }

    default void onDelete(T o) {
    }

    /** The initial state of this kind has been delivered in full. */
    default void onSynced() {
    }
}
