# The seed post's program in Python: an injected write error raises at close.
with open("test.txt", "w") as f:
    f.write("some great stuff")
