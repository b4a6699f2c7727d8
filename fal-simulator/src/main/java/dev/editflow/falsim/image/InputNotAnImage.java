package dev.editflow.falsim.image;

/** Downloaded input bytes are not an image the simulator can decode. */
public class InputNotAnImage extends Exception {

  public InputNotAnImage(String message) {
    super(message);
  }
}
