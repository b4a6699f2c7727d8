/**
 * Broker plumbing every service shares: the topology, message encoding with type and version
 * headers, the consumer-side rules that park poison messages and delay transient failures, and the
 * queue-depth gauges. Wire it into a service with {@code @Import(MessagingConfiguration.class)}.
 *
 * <p>Which of Spring AMQP's own pieces are used, and why the others are not:
 *
 * <ul>
 *   <li><b>Parking</b> is Spring AMQP's {@code RepublishMessageRecovererWithConfirms} ({@link
 *       ParkingLot}), with our reason headers added; the original is acknowledged only after the
 *       broker confirmed the parked copy.
 *   <li><b>Retry</b> stays ours: broker-side TTL queues ({@code <queue>.retry.N}) that dead-letter
 *       back into the queue. The stateless retry interceptor ({@code RetryInterceptorBuilder})
 *       retries inside the listener call, sleeping on the consumer thread with the message
 *       unacknowledged: with delays of seconds to minutes it would hold a consumer and its prefetch
 *       per failing message, and a restart would forget the attempts made. The stateful variant
 *       requeues at once, which is the tight loop the delays exist to avoid. Both also need the
 *       container to acknowledge (AUTO), while our handlers acknowledge manually only after the
 *       job's change committed.
 *   <li><b>Unreadable messages</b> are recognised by {@link MessageCodec}, which throws {@link
 *       UnreadableMessage} with a reason code, and parked at once. The container's {@code
 *       ConditionalRejectingErrorHandler} with a {@code FatalExceptionStrategy} rejects such
 *       messages to a dead-letter exchange, without the reason the operator API shows and replays
 *       by; its default strategy also only judges exceptions the container wrapped, which manual
 *       acknowledgement never produces.
 * </ul>
 */
@NullMarked
package dev.editflow.messaging;

import org.jspecify.annotations.NullMarked;
