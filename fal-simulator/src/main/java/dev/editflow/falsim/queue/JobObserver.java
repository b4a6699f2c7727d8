package dev.editflow.falsim.queue;

/** Told about every state change of a job (called outside the queue's lock). */
public interface JobObserver {

  void changed(Job job);
}
