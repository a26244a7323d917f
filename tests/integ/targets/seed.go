// The seed post's program: write once, ignore the result, exit 0.
package main

import "os"

func main() {
	f, err := os.OpenFile("test.txt", os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0644)
	if err != nil {
		panic(err)
	}
	_, _ = f.Write([]byte("some great stuff"))
	_ = f.Close()
}
