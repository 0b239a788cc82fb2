package dev.turnout.model.source;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Receives the changes of one kind of object, as an informer's event handler does. */
public interface ObjectHandler<T extends HasMetadata> {
    default void onAdd(T o) {
    }

    default void onUpdate(T old, T cur) {
    }

    default void onDelete(T o) {
    }

    /** Every object that existed at start has been delivered. */
    default void onSynced() {
    }
}
