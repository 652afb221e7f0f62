package teagrad.web;

/** Where the worker's messages go: to the page (postMessage), or to a test's list. */
interface Port {
    /** A new, empty object to fill, as a message or as a value inside one. */
    Message object();

    void post(Message message);

    /** A new message of this type. */
    default Message message(String type) { return object().put("type", type); }
}
